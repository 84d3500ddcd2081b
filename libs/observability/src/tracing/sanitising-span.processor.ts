import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Attribute keys that carry headers (the instrumentation's opt-in header capture). */
const HEADER_ATTRIBUTE = /^http\.(request|response)\.header\./;
/** Attributes that would repeat the query string on its own. */
const QUERY_ATTRIBUTES = new Set(['url.query']);

/** A URL or request target without its query string and fragment. */
export function withoutQuery(value: string): string {
  const cut = value.search(/[?#]/);
  return cut === -1 ? value : value.slice(0, cut);
}

/**
 * Last line of defence before export: URLs keep their path but lose query strings (an
 * authorisation redirect carries `code=` and `state=`), and header attributes are dropped even
 * if a later change turns header capture on. Runs while the span can still be changed.
 */
export class SanitisingSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    for (const [key, value] of Object.entries(span.attributes)) {
      if (HEADER_ATTRIBUTE.test(key) || QUERY_ATTRIBUTES.has(key)) {
        // The SDK offers no removal; the span is still ours to change until onEnding returns.
        delete (span.attributes as Record<string, unknown>)[key];
      } else if (typeof value === 'string' && /[?#]/.test(value)) {
        span.setAttribute(key, withoutQuery(value));
      }
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

import { context, SpanKind, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { SanitisingSpanProcessor, withoutQuery } from './sanitising-span.processor';

describe('SanitisingSpanProcessor', () => {
  it('cuts query strings and drops header attributes before export', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SanitisingSpanProcessor(), new SimpleSpanProcessor(exporter)],
    });
    const span = provider
      .getTracer('test')
      .startSpan('GET', { kind: SpanKind.SERVER }, context.active());
    span.setAttributes({
      'http.url': 'http://127.0.0.1:3000/v1/callback?code=abc&state=x',
      'http.target': '/v1/callback?code=abc#frag',
      'url.query': 'code=abc',
      'http.request.header.authorization': 'Bearer secret',
      'http.status_code': 200,
      'http.method': 'GET',
    });
    span.end();
    await provider.forceFlush();
    const [exported] = exporter.getFinishedSpans();
    expect(exported.attributes).toEqual({
      'http.url': 'http://127.0.0.1:3000/v1/callback',
      'http.target': '/v1/callback',
      'http.status_code': 200,
      'http.method': 'GET',
    });
    await provider.shutdown();
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  it.each([
    ['/a/b', '/a/b'],
    ['/a?x=1', '/a'],
    ['https://h/p#f', 'https://h/p'],
    ['', ''],
  ])('withoutQuery(%p) is %p', (input, output) => {
    expect(withoutQuery(input)).toBe(output);
  });
});

import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { SanitisingSpanProcessor } from './sanitising-span.processor';
import { TracingSettings } from './tracing-settings';

export interface RunningTracing {
  /** Exports the spans still buffered, then stops tracing. Safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing: server spans for inbound requests and client spans for
 * outbound calls (the bank calls go through Node's https via axios), exported over OTLP/HTTP
 * (JSON). Call it before the app's modules are loaded so the HTTP instrumentation sees them.
 */
export async function startTracing(settings: TracingSettings): Promise<RunningTracing> {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: settings.serviceVersion,
    }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(settings.sampleRatio),
    }),
    spanProcessors: [
      // First, so that what the batch processor exports is already sanitised.
      new SanitisingSpanProcessor(),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.otlpEndpoint })),
    ],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // No header capture and no hooks that read requests or responses: headers carry the API
      // key and bank tokens, bodies carry personal data. Query strings are cut by the
      // sanitising processor.
      new HttpInstrumentation({ headersToSpanAttributes: {} }),
    ],
  });
  // The instrumentation patches http/https when they are next required. Both may already be
  // loaded (the AWS SDK behind the config lib loads https at start-up) and nothing may require
  // them again, so require them here: the module objects are patched in place, which also
  // covers the callers that loaded them earlier.
  await import('node:http');
  await import('node:https');
  let stopping: Promise<void> | undefined;
  return {
    shutdown: () => {
      stopping ??= (async () => {
        unregister();
        await provider.shutdown();
      })();
      return stopping;
    },
  };
}

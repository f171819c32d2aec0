// One real third-party OpenAI instrumentation for Node, the real `openai` client and the real
// OpenTelemetry SDK exporting OTLP/HTTP protobuf, in a process of its own as in a service (the
// instrumentations patch the module when it is required, which jest's module loader would hide):
// the calls the test asks for, made against the endpoint it gives, the spans exported to the
// Collector it gives. The Python twin is ./python/emit.py; both take the same arguments.
//
//   node -r scripts/register-ts.js node-emitter.ts --instrumentation otel|openllmetry|openinference \
//     --base-url URL --otlp-endpoint URL --otlp-header 'Authorization=Bearer …' --service NAME \
//     [--model o4-mini] chat stream error
//
// Prints one line per call (`chat ok`, `error BadRequestError`) and exits 0 once every span is exported.
import { parseArgs } from 'node:util';
import { OpenAIInstrumentation as OpenInferenceOpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation as OfficialOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';

type ExportResultCallback = Parameters<SpanExporter['export']>[1];

/** Exports through `exporter` and remembers a failed export (the SDK only logs it). */
class CheckedExporter implements SpanExporter {
  failed = false;
  constructor(private readonly exporter: SpanExporter) {}
  export(spans: ReadableSpan[], done: ExportResultCallback): void {
    this.exporter.export(spans, (result) => {
      if (result.code !== 0) this.failed = true;
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}

// Message content on wherever an instrumentation can record it: the ledger must keep none of it.
function instrumentation(name: string): Instrumentation {
  switch (name) {
    case 'otel':
      return new OfficialOpenAIInstrumentation({ captureMessageContent: true });
    case 'openllmetry':
      return new TraceloopOpenAIInstrumentation({ traceContent: true });
    case 'openinference':
      return new OpenInferenceOpenAIInstrumentation();
    default:
      throw new Error(`unknown instrumentation ${JSON.stringify(name)}`);
  }
}

const MESSAGES = [{ role: 'user' as const, content: 'Which channel should I rebalance?' }];

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      instrumentation: { type: 'string' },
      'base-url': { type: 'string' },
      'otlp-endpoint': { type: 'string' },
      'otlp-header': { type: 'string', multiple: true, default: [] },
      service: { type: 'string' },
      model: { type: 'string', default: 'o4-mini' },
    },
  });
  const required = (name: keyof typeof values): string => {
    const value = values[name];
    if (typeof value !== 'string') throw new Error(`--${name} is required`);
    return value;
  };
  const headers = Object.fromEntries(
    (values['otlp-header'] ?? []).map((header) => {
      const at = header.indexOf('=');
      return [header.slice(0, at), header.slice(at + 1)];
    }),
  );
  const exporter = new CheckedExporter(
    new OTLPTraceExporter({ url: `${required('otlp-endpoint')}/v1/traces`, headers }),
  );
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': required('service') }),
    // One export per span: the test's calls are few, and a failed export fails this run.
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [instrumentation(required('instrumentation'))],
    tracerProvider: provider,
  });

  // Required only now, after the instrumentation's hook is in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: OpenAI, APIError } = require('openai') as typeof import('openai');
  const client = new OpenAI({ apiKey: 'sk-canned', baseURL: required('base-url'), maxRetries: 0 });
  const model = required('model');
  for (const kind of positionals) {
    try {
      if (kind === 'chat') {
        await client.chat.completions.create({ model, messages: MESSAGES, temperature: 0.2 });
      } else if (kind === 'stream') {
        const stream = await client.chat.completions.create({
          model,
          messages: MESSAGES,
          temperature: 0.2,
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const _chunk of stream) {
          // consumed as a caller would
        }
      } else if (kind === 'error') {
        // The server answers 400 to a temperature above 2, as OpenAI does.
        await client.chat.completions.create({ model, messages: MESSAGES, temperature: 7 });
      } else {
        throw new Error(`unknown call ${JSON.stringify(kind)}`);
      }
      console.log(`${kind} ok`);
    } catch (error) {
      if (kind !== 'error' || !(error instanceof APIError)) throw error;
      console.log(`${kind} ${error.constructor.name}`);
    }
  }
  await provider.shutdown();
  if (exporter.failed) {
    console.error('an OTLP export failed');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

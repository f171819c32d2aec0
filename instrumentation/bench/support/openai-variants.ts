// The OpenAI client instrumented four ways in one process, on one OpenTelemetry SDK
// (setupTokenmeter's, exporting to nowhere): none, Tokenmeter's instrumentOpenAI, the official
// @opentelemetry/instrumentation-openai and OpenLLMetry's @traceloop/instrumentation-openai
// (content capture off). The peers patch the openai module's prototypes, so only one of them is
// enabled at a time (activate).
import { metrics, trace, type Attributes } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation as OfficialOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { instrumentOpenAI, setupTokenmeter, type Tokenmeter } from '@tokenmeter/instrumentation';
import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import type OpenAIClient from 'openai';
import { cannedOpenAIFetch } from './canned-openai';
import { DiscardingExporter } from './measure';

export interface Workload {
  name: string;
  stream: boolean;
  /** Content chunks per streamed answer. */
  contentChunks: number;
  callsPerRound: number;
}

export interface Variant {
  name: string;
  /** Instrumentation scope of its spans (undefined: none). */
  scope: string | undefined;
  /** The call of each workload. */
  call: Map<Workload, () => Promise<unknown>>;
  /** Instrumentation that patches the openai module (peers), enabled only while it is measured. */
  patcher?: Instrumentation;
}

const messages = [{ role: 'user' as const, content: 'Which channel should I rebalance?' }];

function callOf(client: OpenAIClient, workload: Workload): () => Promise<unknown> {
  if (!workload.stream)
    return () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        temperature: 0.2,
        max_completion_tokens: 400,
      });
  return async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      temperature: 0.2,
      max_completion_tokens: 400,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const _chunk of stream) {
      // consumed like a caller would
    }
  };
}

/** Keeps the spans ended while `capturing` (the check pass), nothing otherwise. */
class CapturingProcessor implements SpanProcessor {
  capturing = false;
  readonly spans: ReadableSpan[] = [];
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (this.capturing) this.spans.push(span);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export interface Recorded {
  spanAttributes: string[];
  cost: boolean;
}

export interface OpenAIVariants {
  variants: Variant[];
  /** Enables `variant`'s patches and disables the others'. */
  activate(variant: Variant): void;
  /** One call per workload per variant: throws unless each variant gives exactly its own span; what each records. */
  check(): Promise<Map<Variant, Recorded>>;
  tokenmeter: Tokenmeter;
  /** Exports the spans and metric points still buffered (for timeRound). */
  flush(): Promise<void>;
  /** flush(), then a full garbage collection (needs node --expose-gc; see openai-peers.ts). */
  flushAndCollect(): Promise<void>;
}

export function openAIVariants(workloads: Workload[]): OpenAIVariants {
  const capture = new CapturingProcessor();
  const spanProcessor = new BatchSpanProcessor(new DiscardingExporter(), {
    scheduledDelayMillis: 20,
  });
  const metricReader = new PeriodicExportingMetricReader({
    exporter: new DiscardingExporter(),
    exportIntervalMillis: 1000,
  });
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'tokenmeter-bench',
      httpInstrumentation: false,
      spanProcessors: [capture, spanProcessor],
      metricReaders: [metricReader],
    },
    {},
  );
  // The peers patch the openai module when it is required through their hook: each is created
  // (after the SDK), sees the module required, and is disabled again, so that only one wraps the
  // client's methods at a time (one unwrapping the other's wrapper would remove the wrong one).
  const loadOpenAI = () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('openai') as typeof import('openai')).default;
  const official = new OfficialOpenAIInstrumentation();
  loadOpenAI();
  official.disable();
  const traceloop = new TraceloopOpenAIInstrumentation({
    traceContent: false,
    enrichTokens: false,
  });
  const OpenAI = loadOpenAI();
  traceloop.disable();
  // as registerInstrumentations (and the NodeSDK) does: the SDK's providers instead of the API's proxies
  for (const peer of [official, traceloop]) {
    peer.setTracerProvider(trace.getTracerProvider());
    peer.setMeterProvider(metrics.getMeterProvider());
  }
  const clientFor = (workload: Workload) =>
    new OpenAI({
      apiKey: 'sk-bench',
      baseURL: 'http://bench.invalid/v1',
      maxRetries: 0,
      fetch: cannedOpenAIFetch(workload.contentChunks),
    });
  const plain = new Map(workloads.map((w) => [w, callOf(clientFor(w), w)]));
  const variants: Variant[] = [
    { name: 'none', scope: undefined, call: plain },
    {
      name: 'Tokenmeter instrumentOpenAI',
      scope: '@tokenmeter/instrumentation',
      call: new Map(workloads.map((w) => [w, callOf(instrumentOpenAI(clientFor(w)), w)])),
    },
    {
      name: 'official @opentelemetry/instrumentation-openai',
      scope: '@opentelemetry/instrumentation-openai',
      call: plain,
      patcher: official,
    },
    {
      name: 'OpenLLMetry @traceloop/instrumentation-openai',
      scope: '@traceloop/instrumentation-openai',
      call: plain,
      patcher: traceloop,
    },
  ];

  const activate = (variant: Variant) => {
    for (const other of variants) if (other !== variant) other.patcher?.disable();
    variant.patcher?.enable();
  };

  const check = async () => {
    const recorded = new Map<Variant, Recorded>();
    for (const variant of variants) {
      activate(variant);
      for (const workload of workloads) {
        capture.spans.length = 0;
        capture.capturing = true;
        await variant.call.get(workload)!();
        await new Promise((resolve) => setImmediate(resolve));
        capture.capturing = false;
        const expected = variant.scope === undefined ? 0 : 1;
        const own = capture.spans.filter((s) => s.instrumentationScope.name === variant.scope);
        if (capture.spans.length !== expected || own.length !== expected)
          throw new Error(
            `${variant.name}, ${workload.name}: expected ${expected} span of ${variant.scope ?? 'nobody'}, got ${capture.spans.map((s) => s.instrumentationScope.name).join(', ') || 'none'}`,
          );
        if (own[0] && !workload.stream) {
          const attributes: Attributes = own[0].attributes;
          recorded.set(variant, {
            spanAttributes: Object.keys(attributes).sort(),
            cost: 'tokenmeter.cost.usd' in attributes,
          });
        }
      }
    }
    activate(variants[0]!);
    return recorded;
  };

  const flush = async () => {
    await spanProcessor.forceFlush();
    await metricReader.forceFlush();
  };
  const flushAndCollect = async () => {
    if (typeof globalThis.gc !== 'function')
      throw new Error(
        'a full collection per round needs node --expose-gc (npm run bench passes it)',
      );
    await flush();
    globalThis.gc();
  };

  return { variants, activate, check, tokenmeter, flush, flushAndCollect };
}

// Per-call cost of traceModelCall (span, metrics, pricing, attribution) against a bare
// OpenTelemetry span with two histogram records, measured side by side in one process. A third,
// informative measure is the SDK work alone that the wrapper's contract needs (the same span
// attributes, three histogram data points through the same Views), hand-written: the floor that
// any instrumentation on this SDK pays.
// Run: npm run bench -w instrumentation. The last line is JSON: {"wrapper_us", "bare_us", "ratio"}.
import {
  SpanKind,
  context,
  metrics,
  trace,
  type Attributes,
  type Histogram,
} from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import {
  semconv,
  setupTokenmeter,
  traceModelCall,
  withAttribution,
} from '@tokenmeter/instrumentation';

/** Accepts and discards everything: the benchmark measures the caller's cost, not the network. */
class DiscardingExporter implements SpanExporter, PushMetricExporter {
  export(_items: ReadableSpan[] | ResourceMetrics, done: (result: ExportResult) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const CALLS_PER_ROUND = 20_000;
const ROUNDS = 9;
const YIELD_EVERY = 256; // lets the batch span processor export between calls, as in a real service

const answer = {
  model: 'gpt-4o-mini-2024-07-18',
  usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 200 },
};
const modelCall = async () => answer;

const bareTracer = trace.getTracer('bench-bare');
let bareDuration: Histogram;
let bareTokens: Histogram;

// The bare call records the labels a hand-written instrumentation of the same metric contract
// would: operation, provider, model, billing mode, plan and prompt.
const bareLabels = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'tokenmeter.billing.mode': 'system',
  'tokenmeter.plan': 'pro',
  'tokenmeter.prompt.name': 'bench',
};

async function bareCall(): Promise<void> {
  const started = performance.now();
  const span = bareTracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: bareLabels,
  });
  const result = await modelCall();
  span.setAttributes({
    'gen_ai.usage.input_tokens': result.usage.inputTokens,
    'gen_ai.usage.output_tokens': result.usage.outputTokens,
  });
  span.end();
  bareDuration.record((performance.now() - started) / 1000, bareLabels);
  bareTokens.record(result.usage.inputTokens, bareLabels);
}

// The SDK work of one wrapped call, nothing else: start attributes = labels + user; end attributes =
// answering model, four token counts, cost and pricing version; duration and two token-usage
// points on instruments with the Tokenmeter metric names (so the same Views apply), with label
// objects built once (frozen, as the wrapper's are).
let floorDuration: Histogram;
let floorTokens: Histogram;
const floorStartAttributes = { ...bareLabels, [semconv.ATTR_ENDUSER_ID]: 'user-1' };
const floorLabels = Object.freeze({ ...bareLabels });
const floorInputLabels = Object.freeze({
  ...bareLabels,
  [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'input',
});
const floorOutputLabels = Object.freeze({
  ...bareLabels,
  [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'output',
});

async function sdkFloorCall(): Promise<void> {
  const started = performance.now();
  const span = bareTracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: floorStartAttributes,
  });
  const callContext = trace.setSpan(context.active(), span);
  const result = await context.with(callContext, modelCall);
  const { usage } = result;
  const endAttributes: Attributes = {};
  endAttributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = result.model;
  endAttributes[semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
  endAttributes[semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
  endAttributes[semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = usage.cachedInputTokens;
  endAttributes[semconv.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoningTokens;
  endAttributes[semconv.ATTR_TOKENMETER_COST_USD] = 0.00012;
  endAttributes[semconv.ATTR_TOKENMETER_PRICING_VERSION] = 'bench';
  span.setAttributes(endAttributes);
  span.end();
  floorTokens.record(usage.inputTokens, floorInputLabels, callContext);
  floorTokens.record(usage.outputTokens, floorOutputLabels, callContext);
  floorDuration.record((performance.now() - started) / 1000, floorLabels, callContext);
}

const spec = { provider: 'openai', requestModel: 'gpt-4o-mini' };
const outcome = {
  outcome: (result: typeof answer) => ({ responseModel: result.model, usage: result.usage }),
};

function wrapperCall(): Promise<unknown> {
  return traceModelCall(spec, modelCall, outcome);
}

interface RoundTime {
  /** CPU time of this process per call: what the figures use, as other load on the machine barely moves it. */
  cpuUs: number;
  wallUs: number;
}

async function round(call: () => Promise<unknown>): Promise<RoundTime> {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < CALLS_PER_ROUND; i++) {
    await call();
    if (i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    cpuUs: (cpu.user + cpu.system) / CALLS_PER_ROUND,
    wallUs: Number(process.hrtime.bigint() - wallStart) / 1000 / CALLS_PER_ROUND,
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round2 = (value: number) => Math.round(value * 100) / 100;

async function main(): Promise<void> {
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'tokenmeter-bench',
      httpInstrumentation: false,
      spanProcessors: [
        new BatchSpanProcessor(new DiscardingExporter(), { scheduledDelayMillis: 20 }),
      ],
      metricReaders: [
        new PeriodicExportingMetricReader({
          exporter: new DiscardingExporter(),
          exportIntervalMillis: 1000,
        }),
      ],
    },
    {},
  );
  const meter = metrics.getMeter('bench-bare');
  bareDuration = meter.createHistogram('bench.bare.duration', { unit: 's' });
  bareTokens = meter.createHistogram('bench.bare.tokens', { unit: '{token}' });
  const floorMeter = metrics.getMeter('bench-sdk-floor');
  floorDuration = floorMeter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION, {
    unit: 's',
  });
  floorTokens = floorMeter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
    unit: '{token}',
  });

  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      await round(bareCall);
      await round(wrapperCall);
      await round(sdkFloorCall);
      const bare: RoundTime[] = [];
      const wrapper: RoundTime[] = [];
      const floor: RoundTime[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        bare.push(await round(bareCall));
        wrapper.push(await round(wrapperCall));
        floor.push(await round(sdkFloorCall));
      }
      const cpu = (rounds: RoundTime[]) => rounds.map((r) => r.cpuUs);
      const wall = (rounds: RoundTime[]) => rounds.map((r) => r.wallUs);
      const wrapperUs = median(cpu(wrapper));
      const bareUs = median(cpu(bare));
      const floorUs = median(cpu(floor));
      console.log(
        `node ${process.version}, ${ROUNDS} interleaved rounds of ${CALLS_PER_ROUND} calls each, medians of CPU time per call (wall time in brackets)`,
      );
      console.log(
        `bare span + 2 histogram records: ${round2(bareUs)} µs CPU (${round2(median(wall(bare)))} µs wall); rounds: ${cpu(bare).map(round2).join(', ')}`,
      );
      console.log(
        `traceModelCall (span, 4 metric data points, pricing, attribution): ${round2(wrapperUs)} µs CPU (${round2(median(wall(wrapper)))} µs wall); rounds: ${cpu(wrapper).map(round2).join(', ')}`,
      );
      console.log(
        `SDK work alone of the same contract (no wrapper): ${round2(floorUs)} µs CPU (${round2(median(wall(floor)))} µs wall), ratio to bare ${round2(floorUs / bareUs)}; rounds: ${cpu(floor).map(round2).join(', ')}`,
      );
      console.log(
        JSON.stringify({
          wrapper_us: round2(wrapperUs),
          bare_us: round2(bareUs),
          ratio: round2(wrapperUs / bareUs),
        }),
      );
    },
  );
  await tokenmeter.shutdown();
}

void main();

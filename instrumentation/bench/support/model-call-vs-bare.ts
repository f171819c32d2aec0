// Per-call cost of traceModelCall (span, metrics, pricing, attribution) against a bare
// OpenTelemetry span with two histogram records, measured side by side. A third, informative
// measure is the wrapper's contract written by hand on the SDK alone (the same span attributes,
// three data points on the SDK's histograms through the same Views): what an instrumentation that
// records its histograms through the SDK pays (Tokenmeter aggregates its own, src/histograms).
// Needs setupTokenmeter to have run.
import {
  SpanKind,
  context,
  metrics,
  trace,
  type Attributes,
  type Histogram,
} from '@opentelemetry/api';
import { semconv, traceModelCall, withAttribution } from '@tokenmeter/instrumentation';
import { median, round2, timeRound, type RoundTime } from './measure';

const answer = {
  model: 'gpt-4o-mini-2024-07-18',
  usage: { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 200 },
};
const modelCall = async () => answer;

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

function bareCallOn(duration: Histogram, tokens: Histogram): () => Promise<void> {
  const tracer = trace.getTracer('bench-bare');
  return async () => {
    const started = performance.now();
    const span = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: bareLabels,
    });
    const result = await modelCall();
    span.setAttributes({
      'gen_ai.usage.input_tokens': result.usage.inputTokens,
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
    });
    span.end();
    duration.record((performance.now() - started) / 1000, bareLabels);
    tokens.record(result.usage.inputTokens, bareLabels);
  };
}

// The SDK work of one wrapped call, nothing else: start attributes = labels + user; end attributes =
// answering model, four token counts, cost and pricing version; duration and two token-usage
// points on instruments with the Tokenmeter metric names (so the same Views apply), with label
// objects built once (frozen, as the wrapper's are).
function sdkFloorCallOn(duration: Histogram, tokens: Histogram): () => Promise<void> {
  const tracer = trace.getTracer('bench-bare');
  const startAttributes = { ...bareLabels, [semconv.ATTR_ENDUSER_ID]: 'user-1' };
  const labels = Object.freeze({ ...bareLabels });
  const inputLabels = Object.freeze({ ...bareLabels, [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
  const outputLabels = Object.freeze({
    ...bareLabels,
    [semconv.ATTR_GEN_AI_TOKEN_TYPE]: 'output',
  });
  return async () => {
    const started = performance.now();
    const span = tracer.startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: startAttributes,
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
    tokens.record(usage.inputTokens, inputLabels, callContext);
    tokens.record(usage.outputTokens, outputLabels, callContext);
    duration.record((performance.now() - started) / 1000, labels, callContext);
  };
}

const spec = { provider: 'openai', requestModel: 'gpt-4o-mini' };
const outcome = {
  outcome: (result: typeof answer) => ({ responseModel: result.model, usage: result.usage }),
};
const wrapperCall = (): Promise<unknown> => traceModelCall(spec, modelCall, outcome);

export interface ModelCallVsBare {
  wrapperUs: number;
  bareUs: number;
  floorUs: number;
  /** Human-readable lines: method, then one line per measure. */
  report: string[];
}

export async function measureModelCallVsBare(
  rounds: number,
  callsPerRound: number,
): Promise<ModelCallVsBare> {
  const meter = metrics.getMeter('bench-bare');
  const bareCall = bareCallOn(
    meter.createHistogram('bench.bare.duration', { unit: 's' }),
    meter.createHistogram('bench.bare.tokens', { unit: '{token}' }),
  );
  const floorMeter = metrics.getMeter('bench-sdk-floor');
  const sdkFloorCall = sdkFloorCallOn(
    floorMeter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION, { unit: 's' }),
    floorMeter.createHistogram(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE, { unit: '{token}' }),
  );
  return withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      await timeRound(bareCall, callsPerRound);
      await timeRound(wrapperCall, callsPerRound);
      await timeRound(sdkFloorCall, callsPerRound);
      const bare: RoundTime[] = [];
      const wrapper: RoundTime[] = [];
      const floor: RoundTime[] = [];
      for (let i = 0; i < rounds; i++) {
        bare.push(await timeRound(bareCall, callsPerRound));
        wrapper.push(await timeRound(wrapperCall, callsPerRound));
        floor.push(await timeRound(sdkFloorCall, callsPerRound));
      }
      const cpu = (times: RoundTime[]) => times.map((r) => r.cpuUs);
      const wall = (times: RoundTime[]) => times.map((r) => r.wallUs);
      const wrapperUs = median(cpu(wrapper));
      const bareUs = median(cpu(bare));
      const floorUs = median(cpu(floor));
      return {
        wrapperUs,
        bareUs,
        floorUs,
        report: [
          `node ${process.version}, ${rounds} interleaved rounds of ${callsPerRound} calls each, medians of CPU time per call (wall time in brackets)`,
          `bare span + 2 histogram records: ${round2(bareUs)} µs CPU (${round2(median(wall(bare)))} µs wall); rounds: ${cpu(bare).map(round2).join(', ')}`,
          `traceModelCall (span, 3 histogram data points, cost, pricing, attribution): ${round2(wrapperUs)} µs CPU (${round2(median(wall(wrapper)))} µs wall); rounds: ${cpu(wrapper).map(round2).join(', ')}`,
          `the same contract by hand on the SDK alone (SDK histograms): ${round2(floorUs)} µs CPU (${round2(median(wall(floor)))} µs wall), ratio to bare ${round2(floorUs / bareUs)}; rounds: ${cpu(floor).map(round2).join(', ')}`,
        ],
      };
    },
  );
}

/** The line the old benchmark ended with. */
export function modelCallVsBareJson(result: ModelCallVsBare): string {
  return JSON.stringify({
    wrapper_us: round2(result.wrapperUs),
    bare_us: round2(result.bareUs),
    ratio: round2(result.wrapperUs / result.bareUs),
  });
}

// Tokenmeter's OpenAI instrumentation side by side with the peers, on the real `openai` client
// with a canned in-process fetch: no instrumentation, Tokenmeter's instrumentOpenAI, the official
// @opentelemetry/instrumentation-openai and OpenLLMetry's @traceloop/instrumentation-openai
// (content capture off). One process, one OpenTelemetry SDK (setupTokenmeter's), interleaved
// rounds in a rotating order; each variant's figure is the median over repetitions of its CPU time
// per call minus that of the uninstrumented round of the same repetition (paired differences).
// Streamed calls are measured with two answer lengths: per call, and per chunk from the difference.
//
// Run: npm run bench -w instrumentation. The second-to-last line is the older wrapper-vs-bare-SDK
// figure, the last line is JSON: {"tokenmeter_us","best_peer_us","best_peer","ratio"}.
// TOKENMETER_BENCH_REPETITIONS (default 7) and TOKENMETER_BENCH_SCALE (default 1, multiplies the
// calls per round) shorten or lengthen a run.
import { metrics, trace, type Attributes } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation as OfficialOpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { instrumentOpenAI, setupTokenmeter, withAttribution } from '@tokenmeter/instrumentation';
import { OpenAIInstrumentation as TraceloopOpenAIInstrumentation } from '@traceloop/instrumentation-openai';
import type OpenAIClient from 'openai';
import { EXTRA_STREAM_CHUNKS, cannedOpenAIFetch } from './support/canned-openai';
import { DiscardingExporter, median, round2, timeRound } from './support/measure';
import { measureModelCallVsBare, modelCallVsBareJson } from './support/model-call-vs-bare';

const REPETITIONS = Math.max(1, Number(process.env.TOKENMETER_BENCH_REPETITIONS ?? 7));
const SCALE = Math.max(0.05, Number(process.env.TOKENMETER_BENCH_SCALE ?? 1));

interface Workload {
  name: string;
  stream: boolean;
  /** Content chunks per streamed answer. */
  contentChunks: number;
  callsPerRound: number;
}

const SHORT_STREAM = 8;
const LONG_STREAM = 64;
const WORKLOADS: Workload[] = [
  { name: 'chat', stream: false, contentChunks: 0, callsPerRound: Math.round(2000 * SCALE) },
  {
    name: `stream ${SHORT_STREAM}`,
    stream: true,
    contentChunks: SHORT_STREAM,
    callsPerRound: Math.round(1000 * SCALE),
  },
  {
    name: `stream ${LONG_STREAM}`,
    stream: true,
    contentChunks: LONG_STREAM,
    callsPerRound: Math.round(250 * SCALE),
  },
];

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

interface Variant {
  name: string;
  /** Instrumentation scope of its spans (undefined: none). */
  scope: string | undefined;
  /** Client per workload. */
  call: Map<Workload, () => Promise<unknown>>;
  /** Registered instrumentation that patches the openai module (peers), enabled only for its rounds. */
  patcher?: Instrumentation;
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

function activate(variant: Variant, all: Variant[]): void {
  for (const other of all) if (other !== variant) other.patcher?.disable();
  variant.patcher?.enable();
}

interface Recorded {
  spanAttributes: string[];
  cost: boolean;
}

/** One call per workload per variant: checks that each variant gives exactly its own span, and what it records. */
async function check(
  variants: Variant[],
  capture: CapturingProcessor,
): Promise<Map<Variant, Recorded>> {
  const recorded = new Map<Variant, Recorded>();
  for (const variant of variants) {
    activate(variant, variants);
    for (const workload of WORKLOADS) {
      capture.spans.length = 0;
      capture.capturing = true;
      await variant.call.get(workload)!();
      await new Promise((resolve) => setImmediate(resolve));
      capture.capturing = false;
      const spans = capture.spans.filter((span) => span.instrumentationScope.name !== 'bench');
      const expected = variant.scope === undefined ? 0 : 1;
      const own = spans.filter((span) => span.instrumentationScope.name === variant.scope);
      if (spans.length !== expected || own.length !== expected)
        throw new Error(
          `${variant.name}, ${workload.name}: expected ${expected} span of ${variant.scope ?? 'nobody'}, got ${spans.map((s) => s.instrumentationScope.name).join(', ') || 'none'}`,
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
  return recorded;
}

async function main(): Promise<void> {
  const capture = new CapturingProcessor();
  const metricReader = new PeriodicExportingMetricReader({
    exporter: new DiscardingExporter(),
    exportIntervalMillis: 1000,
  });
  const tokenmeter = setupTokenmeter(
    {
      serviceName: 'tokenmeter-bench',
      httpInstrumentation: false,
      spanProcessors: [
        capture,
        new BatchSpanProcessor(new DiscardingExporter(), { scheduledDelayMillis: 20 }),
      ],
      metricReaders: [metricReader],
    },
    {},
  );
  // The peers patch the openai module when it is required through their hook: each is created
  // (after the SDK, whose meter they take), sees the module required, and is disabled again, so
  // that only one wraps the client's methods at a time (one unwrapping the other's wrapper would
  // remove the wrong one).
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
  // as registerInstrumentations (and the NodeSDK) does: real providers instead of the API's proxies
  for (const peer of [official, traceloop]) {
    peer.setTracerProvider(trace.getTracerProvider());
    peer.setMeterProvider(metrics.getMeterProvider());
  }
  const clientFor = (workload: Workload) =>
    new OpenAI({
      apiKey: 'sk-bench',
      baseURL: 'http://bench.invalid/v1',
      maxRetries: 0,
      fetch: cannedOpenAIFetch(workload.contentChunks || SHORT_STREAM),
    });
  const plain = new Map(WORKLOADS.map((w) => [w, callOf(clientFor(w), w)]));
  const variants: Variant[] = [
    { name: 'none', scope: undefined, call: plain },
    {
      name: 'Tokenmeter instrumentOpenAI',
      scope: '@tokenmeter/instrumentation',
      call: new Map(WORKLOADS.map((w) => [w, callOf(instrumentOpenAI(clientFor(w)), w)])),
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
  const [none, ours, ...peers] = variants as [Variant, Variant, ...Variant[]];

  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      const recorded = await check(variants, capture);
      await metricReader.forceFlush();

      // cpu[workload][variant] = CPU µs per call of each repetition
      const cpu = new Map(
        WORKLOADS.map((w) => [w, new Map(variants.map((v) => [v, [] as number[]]))]),
      );
      for (const workload of WORKLOADS)
        for (const variant of variants) {
          activate(variant, variants);
          await timeRound(variant.call.get(workload)!, Math.ceil(workload.callsPerRound / 4));
        }
      for (let rep = 0; rep < REPETITIONS; rep++) {
        for (const workload of WORKLOADS) {
          for (let i = 0; i < variants.length; i++) {
            const variant = variants[(rep + i) % variants.length]!;
            activate(variant, variants);
            const time = await timeRound(variant.call.get(workload)!, workload.callsPerRound);
            cpu.get(workload)!.get(variant)!.push(time.cpuUs);
          }
        }
      }
      activate(none, variants);

      const paired = (workload: Workload, variant: Variant) => {
        const times = cpu.get(workload)!;
        const base = times.get(none)!;
        return times.get(variant)!.map((us, rep) => us - base[rep]!);
      };
      const [chat, short, long] = WORKLOADS as [Workload, Workload, Workload];
      const overhead = (variant: Variant) => median(paired(chat, variant));
      const streamCall = (variant: Variant) => median(paired(short, variant));
      const perChunk = (variant: Variant) => {
        const s = paired(short, variant);
        const l = paired(long, variant);
        return median(l.map((us, rep) => (us - s[rep]!) / (LONG_STREAM - SHORT_STREAM)));
      };

      console.log(
        `node ${process.version}, openai ${(require('openai/version') as { VERSION: string }).VERSION}; ${REPETITIONS} repetitions, variants interleaved in a rotating order; CPU µs per call above the uninstrumented call (median of paired differences)`,
      );
      console.log(
        `uninstrumented: chat ${round2(median(cpu.get(chat)!.get(none)!))} µs, stream of ${SHORT_STREAM}+${EXTRA_STREAM_CHUNKS} chunks ${round2(median(cpu.get(short)!.get(none)!))} µs, of ${LONG_STREAM}+${EXTRA_STREAM_CHUNKS} chunks ${round2(median(cpu.get(long)!.get(none)!))} µs per call`,
      );
      console.log('');
      console.log(
        `| instrumentation | chat call | streamed call (${SHORT_STREAM}+${EXTRA_STREAM_CHUNKS} chunks) | per chunk | span attributes (chat) |`,
      );
      console.log('|---|---|---|---|---|');
      for (const variant of variants.slice(1)) {
        const r = recorded.get(variant);
        console.log(
          `| ${variant.name} | +${round2(overhead(variant))} µs | +${round2(streamCall(variant))} µs | +${round2(perChunk(variant))} µs | ${r ? `${r.spanAttributes.length}${r.cost ? ', with cost' : ''}` : '?'} |`,
        );
      }
      console.log('');
      for (const variant of variants.slice(1))
        console.log(
          `${variant.name} chat rounds (µs above none): ${paired(chat, variant).map(round2).join(', ')}`,
        );
      for (const variant of variants.slice(1))
        console.log(
          `${variant.name} span attributes: ${recorded.get(variant)?.spanAttributes.join(' ')}`,
        );

      const best = peers.reduce((a, b) => (overhead(b) < overhead(a) ? b : a));
      const bare = await measureModelCallVsBare(5, Math.round(20_000 * SCALE));
      for (const line of bare.report) console.log(line);
      console.log(modelCallVsBareJson(bare));
      console.log(
        JSON.stringify({
          tokenmeter_us: round2(overhead(ours)),
          best_peer_us: round2(overhead(best)),
          best_peer: best.patcher?.instrumentationName,
          ratio: round2(overhead(ours) / overhead(best)),
        }),
      );
    },
  );
  await tokenmeter.shutdown();
}

void main();

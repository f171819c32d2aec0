// Tokenmeter's OpenAI instrumentation side by side with the peers, on the real `openai` client
// with a canned in-process fetch (support/openai-variants.ts): no instrumentation, Tokenmeter's
// instrumentOpenAI, the official @opentelemetry/instrumentation-openai and OpenLLMetry's
// @traceloop/instrumentation-openai (content capture off). Rounds of each variant alternate in a
// rotating order; each variant's figure is the median over the repetitions of its CPU time per
// call minus that of the uninstrumented round of the same repetition (paired differences).
// Streamed calls are measured with two answer lengths: per call, and per chunk from the difference.
//
// Rounds are long (≈ 0.6 s of chat calls; a default run takes ≈ 2.5 min), so that a major GC
// falling in a round no longer decides it, and each round ends with the export of the spans and
// metric points it buffered, inside its timed window (it starts after the same export, outside
// it): a round pays for its own exports. TOKENMETER_BENCH_FULL_GC=1 adds a full collection
// (gc()) to both, to charge each round its own garbage too; it is off by default because the
// forced collections themselves made every instrumented variant 30–45 µs a call dearer in the
// rounds after them and widened the gap between variants (docs/benchmarks.md, fifth attempt),
// while the collection's own cost at the end of a round was the same for every variant.
//
// Run: npm run bench -w instrumentation (node --expose-gc, for TOKENMETER_BENCH_FULL_GC). The second-to-last line is the older
// wrapper-vs-bare-SDK figure, the last line is JSON: {"tokenmeter_us","best_peer_us","best_peer","ratio"}.
// TOKENMETER_BENCH_REPETITIONS (default 21) and TOKENMETER_BENCH_SCALE (default 1, multiplies the
// calls per round) shorten or lengthen a run.
import { withAttribution } from '@tokenmeter/instrumentation';
// only the version file: the client itself is loaded after the peers' hooks (support/openai-variants.ts)
import { VERSION as OPENAI_VERSION } from 'openai/version';
import { EXTRA_STREAM_CHUNKS } from './support/canned-openai';
import { median, round2, timeRound } from './support/measure';
import { measureModelCallVsBare, modelCallVsBareJson } from './support/model-call-vs-bare';
import { openAIVariants, type Variant, type Workload } from './support/openai-variants';

const REPETITIONS = Math.max(1, Number(process.env.TOKENMETER_BENCH_REPETITIONS ?? 21));
const SCALE = Math.max(0.05, Number(process.env.TOKENMETER_BENCH_SCALE ?? 1));
const FULL_GC = process.env.TOKENMETER_BENCH_FULL_GC === '1';

const SHORT_STREAM = 8;
const LONG_STREAM = 64;
const chat: Workload = {
  name: 'chat',
  stream: false,
  contentChunks: SHORT_STREAM,
  callsPerRound: Math.round(3000 * SCALE),
};
const short: Workload = {
  name: `stream of ${SHORT_STREAM}`,
  stream: true,
  contentChunks: SHORT_STREAM,
  callsPerRound: Math.round(1500 * SCALE),
};
const long: Workload = {
  name: `stream of ${LONG_STREAM}`,
  stream: true,
  contentChunks: LONG_STREAM,
  callsPerRound: Math.round(400 * SCALE),
};
const WORKLOADS = [chat, short, long];

async function main(): Promise<void> {
  const { variants, activate, check, tokenmeter, flush, flushAndCollect } =
    openAIVariants(WORKLOADS);
  const settle = FULL_GC ? flushAndCollect : flush;
  const [none, ours, ...peers] = variants as [Variant, Variant, ...Variant[]];
  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      const recorded = await check();
      // cpu[workload][variant] = CPU µs per call, one entry per repetition
      const cpu = new Map(
        WORKLOADS.map((w) => [w, new Map(variants.map((v) => [v, [] as number[]]))]),
      );
      for (const workload of WORKLOADS)
        for (const variant of variants) {
          activate(variant);
          await timeRound(variant.call.get(workload)!, workload.callsPerRound);
        }
      for (let rep = 0; rep < REPETITIONS; rep++) {
        for (const workload of WORKLOADS) {
          for (let i = 0; i < variants.length; i++) {
            const variant = variants[(rep + i) % variants.length]!;
            activate(variant);
            const time = await timeRound(
              variant.call.get(workload)!,
              workload.callsPerRound,
              settle,
            );
            cpu.get(workload)!.get(variant)!.push(time.cpuUs);
          }
        }
      }
      activate(none);

      const paired = (workload: Workload, variant: Variant) => {
        const times = cpu.get(workload)!;
        const base = times.get(none)!;
        return times.get(variant)!.map((us, rep) => us - base[rep]!);
      };
      const overhead = (variant: Variant) => median(paired(chat, variant));
      const streamCall = (variant: Variant) => median(paired(short, variant));
      const perChunk = (variant: Variant) => {
        const s = paired(short, variant);
        return median(
          paired(long, variant).map((us, rep) => (us - s[rep]!) / (LONG_STREAM - SHORT_STREAM)),
        );
      };
      const baseline = (workload: Workload) => round2(median(cpu.get(workload)!.get(none)!));

      console.log(
        `node ${process.version}, openai ${OPENAI_VERSION}; ${REPETITIONS} repetitions of ${WORKLOADS.map((w) => `${w.callsPerRound} calls (${w.name})`).join(', ')} per variant, variants in a rotating order${FULL_GC ? ', a full GC closing each round' : ''}; CPU µs per call above the uninstrumented call (median of paired differences)`,
      );
      console.log(
        `uninstrumented: chat ${baseline(chat)} µs, stream of ${SHORT_STREAM}+${EXTRA_STREAM_CHUNKS} chunks ${baseline(short)} µs, of ${LONG_STREAM}+${EXTRA_STREAM_CHUNKS} chunks ${baseline(long)} µs per call`,
      );
      console.log('');
      console.log(
        `| instrumentation | chat call | streamed call (${SHORT_STREAM}+${EXTRA_STREAM_CHUNKS} chunks) | per chunk | span attributes (chat) |`,
      );
      console.log('|---|---|---|---|---|');
      for (const variant of [ours, ...peers]) {
        const r = recorded.get(variant);
        console.log(
          `| ${variant.name} | +${round2(overhead(variant))} µs | +${round2(streamCall(variant))} µs | +${round2(perChunk(variant))} µs | ${r ? `${r.spanAttributes.length}${r.cost ? ', with cost' : ''}` : '?'} |`,
        );
      }
      console.log('');
      for (const variant of [ours, ...peers])
        console.log(
          `${variant.name}: chat rounds (µs above none) ${paired(chat, variant).map(round2).join(', ')}; span attributes ${recorded.get(variant)?.spanAttributes.join(' ')}`,
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

// Runs many calls of one variant of bench/support/openai-variants.ts in a process of its own, for
// a CPU figure and profile:
//   node --expose-gc -r ./scripts/register-ts.js \
//     bench/profile-openai.ts <none|tokenmeter|official|traceloop> <chat|stream|stub> [calls] [profile file]
// then: node -r ./scripts/register-ts.js bench/profile-areas.ts <profile> <calls> [<baseline profile> <calls>]
// prints the self time per call by area. A warm-up of a tenth of the calls (JIT, first pricing
// lookup) runs before the timed window; the window ends with the span and metric export (as in the
// peer benchmark), and only the window is profiled. `stub` replaces the openai client by an object whose
// create() answers the canned completion at once (none and tokenmeter only): the profile then
// holds the instrumentation's own work and little else, which a shared machine disturbs less.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { withAttribution, instrumentOpenAI } from '@tokenmeter/instrumentation';
import { COMPLETION } from './support/canned-openai';
import { timeRound } from './support/measure';
import { openAIVariants, type Workload } from './support/openai-variants';

const VARIANTS = ['none', 'tokenmeter', 'official', 'traceloop'];

function stubCall(instrumented: boolean): () => Promise<unknown> {
  const answer = JSON.parse(COMPLETION) as unknown;
  const stub = {
    baseURL: 'http://bench.invalid/v1',
    chat: { completions: { create: async (_params: unknown) => answer } },
  };
  const client = instrumented ? instrumentOpenAI(stub) : stub;
  const params = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Which channel should I rebalance?' }],
    temperature: 0.2,
    max_completion_tokens: 400,
  };
  return () => client.chat.completions.create(params);
}

async function main(): Promise<void> {
  const [variantName = 'tokenmeter', workloadName = 'chat', callsText = '20000', profileFile] =
    process.argv.slice(2);
  const index = VARIANTS.indexOf(variantName);
  if (index < 0) throw new Error(`variant must be one of ${VARIANTS.join(', ')}`);
  if (workloadName === 'stub' && index > 1) throw new Error('stub: none or tokenmeter only');
  const workload: Workload = {
    name: workloadName,
    stream: workloadName === 'stream',
    contentChunks: 8,
    callsPerRound: Number(callsText),
  };
  const { variants, activate, tokenmeter, flush } = openAIVariants([workload]);
  const variant = variants[index]!;
  activate(variant);
  const call =
    workloadName === 'stub' ? stubCall(variantName === 'tokenmeter') : variant.call.get(workload)!;
  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      if (process.env.TOKENMETER_PROBE_WARM_ALL === '1')
        // as in the peer benchmark's process: every variant has run before this one is measured
        for (const other of [...variants.filter((v) => v !== variant), variant]) {
          activate(other);
          await timeRound(other.call.get(workload)!, Math.ceil(workload.callsPerRound / 10));
        }
      await timeRound(call, Math.ceil(workload.callsPerRound / 10), flush);
      // a .heapprofile file: where the window's allocations are made (collected ones included)
      const heap = profileFile?.endsWith('.heapprofile');
      const session = new Session();
      if (profileFile) session.connect();
      if (heap)
        await session.post('HeapProfiler.startSampling', {
          samplingInterval: 256,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        });
      else if (profileFile) {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
      }
      const time = await timeRound(call, workload.callsPerRound, flush);
      if (profileFile) {
        const { profile } = heap
          ? await session.post('HeapProfiler.stopSampling')
          : await session.post('Profiler.stop');
        writeFileSync(profileFile, JSON.stringify(profile));
        session.disconnect();
      }
      console.log(`${variant.name}, ${workload.name}: ${time.cpuUs.toFixed(2)} µs CPU per call`);
    },
  );
  await tokenmeter.shutdown();
}

void main();

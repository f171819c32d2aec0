// Runs many calls of one variant of bench/support/openai-variants.ts, for a CPU profile:
//   node --cpu-prof --cpu-prof-dir=/tmp/tm-prof -r ./scripts/register-ts.js \
//     bench/profile-openai.ts <none|tokenmeter|official|traceloop> <chat|stream> [calls]
// then: node bench/profile-areas.js /tmp/tm-prof/<file>.cpuprofile <calls> (self time per call by area).
import { withAttribution } from '@tokenmeter/instrumentation';
import { timeRound } from './support/measure';
import { openAIVariants, type Workload } from './support/openai-variants';

const VARIANTS = ['none', 'tokenmeter', 'official', 'traceloop'];

async function main(): Promise<void> {
  const [variantName = 'tokenmeter', workloadName = 'chat', callsText = '20000'] =
    process.argv.slice(2);
  const index = VARIANTS.indexOf(variantName);
  if (index < 0) throw new Error(`variant must be one of ${VARIANTS.join(', ')}`);
  const workload: Workload = {
    name: workloadName,
    stream: workloadName === 'stream',
    contentChunks: 8,
    callsPerRound: Number(callsText),
  };
  const { variants, activate, tokenmeter } = openAIVariants([workload]);
  const variant = variants[index]!;
  activate(variant);
  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      const time = await timeRound(variant.call.get(workload)!, workload.callsPerRound);
      console.log(`${variant.name}, ${workload.name}: ${time.cpuUs.toFixed(2)} µs CPU per call`);
    },
  );
  await tokenmeter.shutdown();
}

void main();

// Counts the async resources (promises, …) created per call of one variant of
// bench/support/openai-variants.ts, by type, with an async_hooks init counter:
//   node -r ./scripts/register-ts.js bench/count-promises.ts <none|tokenmeter|official|traceloop> [chat|stream] [calls]
import { createHook } from 'node:async_hooks';
import { withAttribution } from '@tokenmeter/instrumentation';
import { openAIVariants, type Workload } from './support/openai-variants';

const VARIANTS = ['none', 'tokenmeter', 'official', 'traceloop'];

async function main(): Promise<void> {
  const [variantName = 'tokenmeter', workloadName = 'chat', callsText = '2000'] =
    process.argv.slice(2);
  const index = VARIANTS.indexOf(variantName);
  if (index < 0) throw new Error(`variant must be one of ${VARIANTS.join(', ')}`);
  const calls = Number(callsText);
  const workload: Workload = {
    name: workloadName,
    stream: workloadName === 'stream',
    contentChunks: 8,
    callsPerRound: calls,
  };
  const { variants, activate, tokenmeter } = openAIVariants([workload]);
  const variant = variants[index]!;
  activate(variant);
  const call = variant.call.get(workload)!;
  const counts = new Map<string, number>();
  let counting = false;
  const hook = createHook({
    init(_id, type) {
      if (counting) counts.set(type, (counts.get(type) ?? 0) + 1);
    },
  });
  await withAttribution(
    { userId: 'user-1', promptName: 'bench', plan: 'pro', billingMode: 'system' },
    async () => {
      for (let i = 0; i < 200; i++) await call(); // warm-up
      hook.enable();
      counting = true;
      for (let i = 0; i < calls; i++) await call();
      counting = false;
      hook.disable();
    },
  );
  const perCall = Object.fromEntries(
    [...counts].map(([type, n]) => [type, Math.round((n / calls) * 100) / 100]),
  );
  console.log(JSON.stringify({ variant: variant.name, workload: workload.name, perCall }));
  await tokenmeter.shutdown();
}

void main();

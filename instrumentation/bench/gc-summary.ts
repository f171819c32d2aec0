// Garbage collection per call from a `node --trace-gc --trace-gc-nvp` log of bench/profile-openai.ts:
//   node --trace-gc --trace-gc-nvp -r ./scripts/register-ts.js bench/profile-openai.ts tokenmeter chat 20000 > gc.log
//   node -r ./scripts/register-ts.js bench/gc-summary.ts gc.log 20000
// Prints, per call: bytes allocated, bytes that survived a young-generation collection (scavenge)
// and bytes promoted to the old generation, and the pause time of scavenges and of full
// (mark-compact) collections. Survivors are what a scavenge copies, so they drive its cost.
import { readFileSync } from 'node:fs';

const [file, callsText] = process.argv.slice(2);
if (!file || !callsText) throw new Error('usage: gc-summary.ts <trace-gc-nvp log> <calls>');
const calls = Number(callsText);

const totals = { allocated: 0, survived: 0, promoted: 0, scavengePauseMs: 0, fullPauseMs: 0 };
let scavenges = 0;
let fullCollections = 0;
for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line.includes(' gc=')) continue;
  const fields = new Map(
    line
      .split(' ')
      .map((pair) => pair.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
  const pause = Number(fields.get('pause') ?? 0);
  if (fields.get('gc') === 's') {
    scavenges++;
    totals.scavengePauseMs += pause;
    totals.allocated += Number(fields.get('allocated') ?? 0);
    totals.survived += Number(fields.get('new_space_survived') ?? 0);
    totals.promoted += Number(fields.get('promoted') ?? 0);
  } else {
    fullCollections++;
    totals.fullPauseMs += pause;
  }
}
const perCall = (value: number) => Math.round(value / calls);
console.log(
  JSON.stringify({
    calls,
    scavenges,
    full_collections: fullCollections,
    allocated_bytes_per_call: perCall(totals.allocated),
    survived_bytes_per_call: perCall(totals.survived),
    promoted_bytes_per_call: perCall(totals.promoted),
    scavenge_pause_us_per_call: Math.round((totals.scavengePauseMs * 1000 * 100) / calls) / 100,
    full_gc_pause_us_per_call: Math.round((totals.fullPauseMs * 1000 * 100) / calls) / 100,
  }),
);

// Self time of a CPU profile (node --cpu-prof) by area, in µs per call:
//   node -r ./scripts/register-ts.js bench/profile-areas.ts <profile.cpuprofile> <calls> [<baseline.cpuprofile> <calls>]
// With a baseline (e.g. the uninstrumented run), prints the difference per call too.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

// First match wins.
const AREAS: [string, (url: string, fn: string) => boolean][] = [
  ['GC', (_url, fn) => fn === '(garbage collector)'],
  ['idle', (_url, fn) => fn === '(idle)'],
  [
    'Tokenmeter: pricing',
    (url) =>
      url.includes('instrumentation/src/pricing') ||
      /conventions\/(src|dist)\/pricing/.test(url) ||
      url.includes('@pydantic/genai-prices'),
  ],
  [
    'Tokenmeter: own code',
    (url) => url.includes('instrumentation/src/') || /conventions\/(src|dist)\//.test(url),
  ],
  ['SDK metrics', (url) => url.includes('@opentelemetry/sdk-metrics')],
  ['SDK trace', (url) => url.includes('@opentelemetry/sdk-trace')],
  [
    'AsyncLocalStorage / async_hooks',
    (url) =>
      url.includes('context-async-hooks') ||
      url.includes('async_hooks') ||
      url.includes('async_local_storage'),
  ],
  ['OpenTelemetry API and core', (url) => /@opentelemetry\/(api|core)\//.test(url)],
  [
    'peer instrumentation',
    (url) =>
      url.includes('@traceloop') ||
      url.includes('instrumentation-openai') ||
      url.includes('shimmer') ||
      url.includes('@opentelemetry/instrumentation/'),
  ],
  ['openai client', (url) => url.includes('/openai/')],
  ['bench harness', (url) => url.includes('instrumentation/bench/')],
  ['node internals (fetch, streams, promises)', (url) => url.startsWith('node:') || url === ''],
  ['other', () => true],
];

function selfTimeByArea(file: string): Map<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const areaOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    areaOf.set(node.id, AREAS.find(([, matches]) => matches(url, functionName))![0]);
  }
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const area = areaOf.get(id)!;
    totals.set(area, (totals.get(area) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return totals;
}

const [file, calls, baseFile, baseCalls] = process.argv.slice(2);
if (!file || !calls)
  throw new Error('usage: profile-areas.ts <profile> <calls> [<baseline profile> <calls>]');
const measured = selfTimeByArea(file);
const base = baseFile && baseCalls ? selfTimeByArea(baseFile) : undefined;
const perCall = (totals: Map<string, number> | undefined, area: string, n: string | undefined) =>
  totals ? (totals.get(area) ?? 0) / Number(n) : 0;
const rows = AREAS.map(([area]) => area).filter((area) => area !== 'idle');
let sum = 0;
let sumBase = 0;
console.log(base ? '| area | µs per call | baseline | difference |' : '| area | µs per call |');
console.log(base ? '|---|---|---|---|' : '|---|---|');
for (const area of rows) {
  const us = perCall(measured, area, calls);
  const baseUs = perCall(base, area, baseCalls);
  sum += us;
  sumBase += baseUs;
  if (us === 0 && baseUs === 0) continue;
  console.log(
    base
      ? `| ${area} | ${us.toFixed(2)} | ${baseUs.toFixed(2)} | ${(us - baseUs).toFixed(2)} |`
      : `| ${area} | ${us.toFixed(2)} |`,
  );
}
console.log(
  base
    ? `| total (without idle) | ${sum.toFixed(2)} | ${sumBase.toFixed(2)} | ${(sum - sumBase).toFixed(2)} |`
    : `| total (without idle) | ${sum.toFixed(2)} |`,
);

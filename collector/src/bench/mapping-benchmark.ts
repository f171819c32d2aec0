// The sink's hot path in-process, without the network or PostgreSQL: OTLP protobuf requests read in
// place, their spans mapped to ledger rows (span-to-call, with pricing) and written as COPY lines.
// Prints the CPU time per span of each round and the median:
// `cd collector && node -r ../scripts/register-ts.js src/bench/mapping-benchmark.ts`
// (TOKENMETER_BENCH_SPANS, default 100 000; TOKENMETER_BENCH_ROUNDS, default 7).
import { PricingCatalog } from '@tokenmeter/conventions/pricing';
import { copyLine } from '../ledger/copy-text';
import { spanToCall, type SpanContext, type SpanVerdict } from '../ledger/span-to-call';
import { readProtobufRequest } from '../otlp/protobuf-request';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { realisticCalls } from './realistic-calls';

const SPANS = Number(process.env.TOKENMETER_BENCH_SPANS ?? 100_000);
const ROUNDS = Number(process.env.TOKENMETER_BENCH_ROUNDS ?? 7);
const BATCH = 2000;

const now = Date.now();
const calls = realisticCalls(SPANS, 42, now);
const bodies: Buffer[] = [];
for (let i = 0; i < calls.length; i += BATCH) bodies.push(traceRequestProtobuf(traceRequestJson(calls.slice(i, i + BATCH))));
const context: SpanContext = {
  service: 'bench',
  catalog: PricingCatalog.load(),
  oldestAcceptedMs: 0,
  newestAcceptedMs: now + 86_400_000,
};

const median = (values: number[]): number =>
  Number([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(2));
const cpuUs = (start: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(start);
  return used.user + used.system;
};

/** Every span of every body, read in place and mapped; `onVerdict` sees each verdict. */
function mapAll(onVerdict: (verdict: SpanVerdict) => void): void {
  for (const body of bodies) {
    const request = readProtobufRequest(body);
    for (let resource = 0; resource < request.resourceCount; resource++)
      for (let index = 0; index < request.spanCount(resource); index++)
        onVerdict(spanToCall(request.span(resource, index), context));
  }
}

// Each round: read every request (no mapping), then read and map, keeping the rows, then write
// every row as a COPY line (timed apart), then all of it at once.
const readUs: number[] = [];
const mapUs: number[] = [];
const copyUs: number[] = [];
const bothUs: number[] = [];
let characters = 0;
for (let round = 0; round < ROUNDS; round++) {
  let start = process.cpuUsage();
  for (const body of bodies) characters += readProtobufRequest(body).resourceCount;
  readUs.push(cpuUs(start) / SPANS);
  start = process.cpuUsage();
  const mapped: SpanVerdict[] = [];
  mapAll((verdict) => mapped.push(verdict));
  mapUs.push(cpuUs(start) / SPANS);
  start = process.cpuUsage();
  for (const verdict of mapped)
    if (verdict.kind === 'call') characters += copyLine(verdict.call).length;
  copyUs.push(cpuUs(start) / SPANS);
  mapped.length = 0;
  start = process.cpuUsage();
  mapAll((verdict) => {
    if (verdict.kind === 'call') characters += copyLine(verdict.call).length;
  });
  bothUs.push(cpuUs(start) / SPANS);
}
console.log(`rounds, read+map+copy (us CPU per span): ${bothUs.map((us) => us.toFixed(2)).join(' ')}`);
console.log(
  JSON.stringify({
    spans: SPANS,
    read_us: median(readUs),
    read_and_map_us: median(mapUs),
    copy_us: median(copyUs),
    read_map_and_copy_us: median(bothUs),
    chars: characters,
  }),
);

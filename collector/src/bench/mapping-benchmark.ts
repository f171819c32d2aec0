// The sink's hot path in-process, without the network or PostgreSQL: decoded spans mapped to ledger
// rows (span-to-call, with pricing) and written as COPY lines. Prints the CPU time per span of each
// round and the median: `npm run build && node collector/dist/bench/mapping-benchmark.js`
// (TOKENMETER_BENCH_SPANS, default 100 000; TOKENMETER_BENCH_ROUNDS, default 7).
import { PricingCatalog } from '@tokenmeter/conventions/pricing';
import { copyLine } from '../ledger/copy-text';
import { spanToCall, type SpanContext } from '../ledger/span-to-call';
import { traceService } from '../otlp/trace-messages';
import type { OtlpSpan, OtlpTraceRequest } from '../otlp/otlp-types';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { realisticCalls } from './realistic-calls';

const SPANS = Number(process.env.TOKENMETER_BENCH_SPANS ?? 100_000);
const ROUNDS = Number(process.env.TOKENMETER_BENCH_ROUNDS ?? 7);
const BATCH = 2000;

const now = Date.now();
const calls = realisticCalls(SPANS, 42, now);
const spans: OtlpSpan[] = [];
for (let i = 0; i < calls.length; i += BATCH) {
  const bytes = traceRequestProtobuf(traceRequestJson(calls.slice(i, i + BATCH)));
  const request = traceService.ExportTraceServiceRequest.decode(
    bytes,
  ) as unknown as OtlpTraceRequest;
  for (const resource of request.resourceSpans)
    for (const scope of resource.scopeSpans) spans.push(...scope.spans);
}
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

// Each round: map every span, then write every row as a COPY line (timed apart), then both at once.
const mapUs: number[] = [];
const copyUs: number[] = [];
const bothUs: number[] = [];
let characters = 0;
for (let round = 0; round < ROUNDS; round++) {
  let start = process.cpuUsage();
  const mapped = spans.map((span) => spanToCall(span, context));
  mapUs.push(cpuUs(start) / spans.length);
  start = process.cpuUsage();
  for (const verdict of mapped)
    if (verdict.kind === 'call') characters += copyLine(verdict.call).length;
  copyUs.push(cpuUs(start) / spans.length);
  mapped.length = 0;
  start = process.cpuUsage();
  for (const span of spans) {
    const verdict = spanToCall(span, context);
    if (verdict.kind === 'call') characters += copyLine(verdict.call).length;
  }
  bothUs.push(cpuUs(start) / spans.length);
}
console.log(`rounds, map+copy (us CPU per span): ${bothUs.map((us) => us.toFixed(2)).join(' ')}`);
console.log(
  JSON.stringify({
    spans: spans.length,
    map_us: median(mapUs),
    copy_us: median(copyUs),
    map_and_copy_us: median(bothUs),
    chars: characters,
  }),
);

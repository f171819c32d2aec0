import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import {
  traceRequestJson,
  traceRequestProtobuf,
  newSpanId,
  newTraceId,
  type CallSpec,
} from './test-support/genai-spans';
import { rollupMismatches } from './test-support/ledger-checks';
import { SinkProcess } from './test-support/sink-process';

// Two sink processes on one ledger (real PostgreSQL), as behind the Collector's loadbalancing
// exporter or a plain round-robin proxy (collector/README.md, "Running several sinks"): requests go
// to them in turn, and batches are redelivered across them — the same batch to both at once, and
// again later to the other one, whole or overlapping a new batch. The ledger must hold every span
// exactly once, and every rollup must equal the ledger.

const HOUR_MS = 3_600_000;
const BATCHES = 24;
const SPANS_PER_BATCH = 60;

let database: TestDatabase;
let sinks: SinkProcess[];

beforeAll(async () => {
  database = await createTestDatabase('several_sinks');
  // Both start together: each migrates the empty database and closes past days (a lock serialises them).
  sinks = await Promise.all([SinkProcess.start(database.url), SinkProcess.start(database.url)]);
});

afterAll(async () => {
  await Promise.all((sinks ?? []).map((sink) => sink.stop()));
  await database?.drop();
});

/** Span `i` of a batch: spread over the last 30 hours (yesterday's closed UTC day too), 9 users, 2 plans. */
function spanSpec(batch: number, i: number): CallSpec {
  const n = batch * SPANS_PER_BATCH + i;
  return {
    traceId: newTraceId(),
    spanId: newSpanId(),
    startMs: Date.now() - ((n * 7919) % 30) * HOUR_MS - (n % 1000) * 1000,
    userId: `user-${n % 9}`,
    plan: n % 3 === 0 ? 'free' : 'pro',
    promptName: `prompt-${n % 4}`,
    inputTokens: 100 + (n % 101),
    outputTokens: 10 + (n % 17),
  };
}

/** POSTs one OTLP request, retrying a 503 as the Collector does; the status of the last answer. */
async function deliver(sink: SinkProcess, specs: CallSpec[]): Promise<number> {
  const body = traceRequestProtobuf(traceRequestJson(specs));
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${sink.url}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 503 || attempt >= 20) return response.status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('stores every span exactly once, with rollups equal to the ledger, whichever sink gets each delivery', async () => {
  const batches = Array.from({ length: BATCHES }, (_, batch) =>
    Array.from({ length: SPANS_PER_BATCH }, (_, i) => spanSpec(batch, i)),
  );
  const statuses: number[] = [];
  // Round-robin, two requests in flight; every third batch is also delivered to the other sink at the same time.
  for (let batch = 0; batch < BATCHES; batch += 2) {
    const deliveries = [batch, batch + 1].flatMap((b) => {
      const first = deliver(sinks[b % 2]!, batches[b]!);
      return b % 3 === 0 ? [first, deliver(sinks[(b + 1) % 2]!, batches[b]!)] : [first];
    });
    statuses.push(...(await Promise.all(deliveries)));
  }
  // Later redeliveries to the other sink: whole batches, and halves of old ones with new spans.
  const fresh = Array.from({ length: 4 }, (_, i) => spanSpec(BATCHES, i));
  statuses.push(
    ...(await Promise.all([
      deliver(sinks[1]!, batches[0]!),
      deliver(sinks[0]!, batches[1]!),
      deliver(sinks[1]!, [...batches[2]!.slice(30), ...fresh.slice(0, 2)]),
      deliver(sinks[0]!, [...batches[5]!.slice(0, 30), ...fresh.slice(2)]),
    ])),
  );
  expect(new Set(statuses)).toEqual(new Set([200]));

  const sent = [...batches.flat(), ...fresh];
  const ledger = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{
      rows: number;
      spans: number;
      input: number;
      output: number;
    }>(
      `SELECT count(*)::int AS rows, count(DISTINCT (trace_id, span_id))::int AS spans,
         sum(input_tokens)::int AS input, sum(output_tokens)::int AS output FROM tokenmeter.llm_calls`,
    );
    return rows[0]!;
  });
  expect(ledger).toEqual({
    rows: sent.length,
    spans: sent.length,
    input: sent.reduce((sum, spec) => sum + spec.inputTokens!, 0),
    output: sent.reduce((sum, spec) => sum + spec.outputTokens!, 0),
  });
  expect(await rollupMismatches(database.url)).toEqual([]);
  expect(sinks.every((sink) => sink.running)).toBe(true);
});

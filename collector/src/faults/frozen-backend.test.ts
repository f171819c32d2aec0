import { Client } from 'pg';
import { startSink, type RunningSink } from '../sink';
import { rollupMismatches } from '../test-support/ledger-checks';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '../test-support/test-database';
import { waitFor } from '../test-support/processes';

// Freezes (SIGSTOP) the PostgreSQL backend serving the sink's write, as a hung server process or a
// network that silently stops delivering would: PostgreSQL's own statement_timeout cannot fire in a
// stopped process, so only the client's deadline ends the wait. The server runs on this machine.
const TOKEN = 'frozen-token';
const STATEMENT_TIMEOUT_MS = 1500;
const CLIENT_MARGIN_MS = 2000; // ../db/pool

let database: TestDatabase;
let sink: RunningSink;

beforeAll(async () => {
  database = await createTestDatabase('frozen');
  sink = await startSink({
    databaseUrl: database.url,
    port: 0,
    ingestToken: TOKEN,
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    retryAfterSeconds: 1,
    log: () => undefined,
  });
});

afterAll(async () => {
  await sink?.close();
  await database?.drop();
});

const post = (body: Buffer): Promise<Response> =>
  fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf' },
    body,
  });

const batch = (service: string, n: number): Buffer =>
  traceRequestProtobuf(traceRequestJson(Array.from({ length: n }, (_, i) => ({ service, userId: `u-${i % 3}`, startMs: Date.now() - 5000 + i }))));

it('answers 503 within the timeout when the backend of a write freezes, reports the database down, and stores the batch once when it is sent again', async () => {
  expect((await post(batch('warm-up', 5))).status).toBe(200);
  const frozenBatch = batch('frozen', 40);
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  let frozenPid: number | undefined;
  try {
    // Hold the write inside its statement (a lock on a rollup), find its backend, freeze it, let go.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE tokenmeter.llm_usage_daily IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    const answer = post(frozenBatch);
    frozenPid = await waitFor(
      "the sink's write waiting for the lock",
      async () =>
        (
          await admin.query<{ pid: number }>(
            "SELECT pid FROM pg_stat_activity WHERE application_name = 'tokenmeter-sink' AND wait_event_type = 'Lock'",
          )
        ).rows[0]?.pid,
      5000,
      20,
    );
    process.kill(frozenPid, 'SIGSTOP');
    await admin.query('COMMIT');

    const response = await answer;
    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(elapsed).toBeLessThan(STATEMENT_TIMEOUT_MS + CLIENT_MARGIN_MS + 2000);

    const health = await fetch(`${sink.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', database: 'down' });
  } finally {
    if (frozenPid) process.kill(frozenPid, 'SIGCONT');
    await admin.end();
  }

  // The Collector sends the batch again after Retry-After: it is stored exactly once.
  const status = await waitFor('the batch to be stored', async () => ((await post(frozenBatch)).status === 200 ? 200 : undefined), 30_000, 500);
  expect(status).toBe(200);
  expect((await post(frozenBatch)).status).toBe(200);
  const count = await withClient(database.url, async (client) =>
    Number((await client.query("SELECT count(*) AS n FROM tokenmeter.llm_calls WHERE service = 'frozen'")).rows[0].n),
  );
  expect(count).toBe(40);
  expect(await rollupMismatches(database.url)).toEqual([]);
  expect(await (await fetch(`${sink.url}/healthz`)).json()).toEqual({ status: 'ok', database: 'up' });
});

import { Client } from 'pg';
import { startSink, type RunningSink } from '../sink';
import { rollupMismatches } from '../test-support/ledger-checks';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { waitFor } from '@tokenmeter/test-support';

// Faults of the PostgreSQL backend serving the sink's write, caught in the middle of it (held on a
// lock): terminated (its connection dropped while checked out), or frozen with SIGSTOP, as a hung
// server process or a network that silently stops delivering would leave it: PostgreSQL's own
// statement_timeout cannot fire in a stopped process, so only the client's deadline ends the wait.
// The sink runs in this process: an error event nobody listens to would end the test run.
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
  // The day closing and retention the sink runs at start take locks of their own: let them finish.
  expect((await post(batch('warm-up', 5))).status).toBe(200);
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
  traceRequestProtobuf(
    traceRequestJson(
      Array.from({ length: n }, (_, i) => ({
        service,
        userId: `u-${i % 3}`,
        startMs: Date.now() - 5000 + i,
      })),
    ),
  );

/** Holds the sink's next write on a lock, finds the backend serving it, hands it to `fault`, lets go. */
async function faultDuringWrite(
  body: Buffer,
  fault: (pid: number, admin: Client) => Promise<void>,
): Promise<Response> {
  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  try {
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE tokenmeter.llm_usage_daily IN ACCESS EXCLUSIVE MODE');
    const answer = post(body);
    const pid = await waitFor(
      "the sink's write waiting for the lock",
      async () =>
        (
          await admin.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = 'tokenmeter-sink' AND wait_event_type = 'Lock'
             AND position('llm_calls_incoming' in query) > 0`, // the write, not the day closing at start
          )
        ).rows[0]?.pid,
      5000,
      20,
    );
    await fault(pid, admin);
    await admin.query('COMMIT');
    return await answer;
  } finally {
    await admin.end();
  }
}

const storedCount = (service: string): Promise<number> =>
  withClient(database.url, async (client) =>
    Number(
      (
        await client.query('SELECT count(*) AS n FROM tokenmeter.llm_calls WHERE service = $1', [
          service,
        ])
      ).rows[0].n,
    ),
  );

it('answers 503 and keeps running when the connection of a write is terminated in the middle of it, and stores the batch once when it is sent again', async () => {
  const terminated = batch('terminated', 30);
  const response = await faultDuringWrite(terminated, async (pid, admin) => {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  });
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  expect(await storedCount('terminated')).toBe(0);
  await waitFor(
    'the batch to be stored',
    async () => ((await post(terminated)).status === 200 ? true : undefined),
    30_000,
    500,
  );
  expect(await storedCount('terminated')).toBe(30);
  expect(await rollupMismatches(database.url)).toEqual([]);
});

it('answers 503 within the timeout when the backend of a write freezes, reports the database down, and stores the batch once when it is sent again', async () => {
  const frozenBatch = batch('frozen', 40);
  let frozenPid: number | undefined;
  try {
    const started = Date.now();
    const response = await faultDuringWrite(frozenBatch, async (pid) => {
      frozenPid = pid;
      process.kill(pid, 'SIGSTOP');
    });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(elapsed).toBeLessThan(STATEMENT_TIMEOUT_MS + CLIENT_MARGIN_MS + 2000);

    const health = await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', database: 'down' });
  } finally {
    if (frozenPid) process.kill(frozenPid, 'SIGCONT');
  }

  // The Collector sends the batch again after Retry-After: it is stored exactly once.
  const status = await waitFor(
    'the batch to be stored',
    async () => ((await post(frozenBatch)).status === 200 ? 200 : undefined),
    30_000,
    500,
  );
  expect(status).toBe(200);
  expect((await post(frozenBatch)).status).toBe(200);
  expect(await storedCount('frozen')).toBe(40);
  expect(await rollupMismatches(database.url)).toEqual([]);
  expect(await (await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).toEqual({
    status: 'ok',
    database: 'up',
  });
});

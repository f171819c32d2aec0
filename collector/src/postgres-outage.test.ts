import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startSink, type RunningSink } from './sink';
import { rollupMismatches } from './test-support/ledger-checks';
import {
  createTestDatabase,
  pgCtl,
  sdkTracer,
  startTestCollector,
  waitFor,
  withClient,
  type TestCollector,
  type TestDatabase,
} from '@tokenmeter/test-support';

// Stops the shared test PostgreSQL server: jest runs this workspace's files one at a time (jest.config.js).
const TOKEN = 'outage-token';
const BATCHES = 16;
const SPANS_PER_BATCH = 50;

const run = promisify(execFile);
const postgres = async (action: 'stop' | 'start'): Promise<void> => {
  await run('bash', [pgCtl(), action], { timeout: 90_000 });
};

describe('PostgreSQL stopped while spans flow through the Collector', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: TestCollector;

  beforeAll(async () => {
    pgCtl();
    database = await createTestDatabase('outage');
    sink = await startSink({ databaseUrl: database.url, port: 0, ingestToken: TOKEN, retryAfterSeconds: 1, log: () => undefined });
    collector = await startTestCollector(sink.url, TOKEN);
  });

  afterAll(async () => {
    await postgres('start'); // whatever happened, the other tests need the server back
    await collector?.stop();
    await sink?.close();
    await database?.drop();
  });

  it('stores every span exactly once after the database comes back, with the rollup equal to the ledger', async () => {
    const tracer = sdkTracer(collector.otlpHttpUrl, 'outage-svc');
    let sent = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      if (batch === 4) await postgres('stop');
      if (batch === 11) await postgres('start');
      for (let i = 0; i < SPANS_PER_BATCH; i++) {
        tracer.recordCall({ userId: `user-${sent % 7}`, promptName: `prompt-${sent % 3}`, startMs: Date.now() - 1000 + i });
        sent++;
      }
      await tracer.flush();
      await new Promise((r) => setTimeout(r, 300));
    }
    await tracer.shutdown();

    const counts = await waitFor(`${sent} spans in the ledger`, async () => {
      const row = await withClient(database.url, async (client) =>
        (await client.query<{ rows: number; spans: number }>(
          'SELECT count(*)::int AS rows, count(DISTINCT (trace_id, span_id))::int AS spans FROM tokenmeter.llm_calls',
        )).rows[0]!,
      );
      return row.rows >= sent ? row : undefined;
    }, 120_000);
    expect(counts).toEqual({ rows: sent, spans: sent });
    expect(await rollupMismatches(database.url)).toEqual([]);
    const sinkMetrics = await (await fetch(`${sink.url}/metrics`)).text();
    // The outage really happened: the sink refused with 503 and the Collector retried.
    expect(sinkMetrics).toMatch(/tokenmeter_sink_requests_total\{code="503"\} [1-9]/);
  });
});

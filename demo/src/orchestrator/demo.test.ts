import { Writable } from 'node:stream';
import { Client } from 'pg';
import { runDemo, type RunningDemo } from './demo';
import { waitFor } from '@tokenmeter/test-support';

const ALL_FREE_PORTS = {
  service: 0,
  provider: 0,
  sink: 0,
  embeddedPostgres: 0,
  collectorGrpc: 0,
  collectorHttp: 0,
  collectorMetrics: 0,
  collectorTelemetry: 0,
  prometheus: 0,
};

async function ledgerCalls(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number(
      (await client.query('SELECT count(*) AS calls FROM tokenmeter.llm_calls')).rows[0].calls,
    );
  } finally {
    await client.end();
  }
}

describe('npm run demo on the embedded PostgreSQL, without Collector and Prometheus', () => {
  let demo: RunningDemo | undefined;
  const lines: string[] = [];
  let printed = '';

  beforeAll(async () => {
    demo = await runDemo({
      collectorBinary: null,
      prometheusBinary: null,
      ports: ALL_FREE_PORTS,
      backfillDays: 2,
      callsPerDay: 60,
      liveRate: 8,
      latencyScale: 0.05,
      seed: 'orchestrator-test',
      users: 12,
      log: (line) => lines.push(line),
      out: new Writable({
        write(chunk, _encoding, done) {
          printed += String(chunk);
          done();
        },
      }),
    });
  }, 180_000);

  afterAll(async () => {
    await demo?.stop();
  });

  it('starts, ingests the backfill and prints a full report of it', () => {
    expect(demo!.databaseUrl).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(demo!.backfilled.total.calls).toBeGreaterThan(50);
    expect(demo!.report.requests.total).toBeGreaterThanOrEqual(demo!.backfilled.total.calls);
    expect(demo!.report.activeUsers).toBeGreaterThan(0);
    for (const heading of [
      'Overview',
      'Month-end projection',
      'Top users',
      'Top prompts by cost',
      'Model mix',
      'Recent activity',
    ]) {
      expect(printed).toContain(heading);
    }
  });

  it('says what is missing and how to add it', () => {
    const text = lines.join('\n');
    expect(text).toMatch(/OpenTelemetry Collector: not found.*\n.*npm run collector:build/);
    expect(text).toMatch(/Prometheus: not found.*\n.*PROMETHEUS_BIN/);
  });

  it('keeps live traffic flowing straight to the sink', async () => {
    const backfilled = demo!.backfilled.total.calls;
    await waitFor(
      'live calls in the ledger',
      async () => ((await ledgerCalls(demo!.databaseUrl)) > backfilled + 5 ? true : undefined),
      60_000,
      500,
    );
  });

  it('stops every component', async () => {
    const { serviceUrl, databaseUrl } = demo!;
    await demo!.stop();
    demo = undefined;
    await expect(fetch(`${serviceUrl}/health`)).rejects.toThrow();
    await expect(ledgerCalls(databaseUrl)).rejects.toThrow();
  });
});

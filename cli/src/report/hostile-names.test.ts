import fc from 'fast-check';
import { Client } from 'pg';
import { hostileName } from '@tokenmeter/test-support';
import { ledgerOf, type FixtureCall, type FixtureLedger } from '../test-support/ledger-fixture';
import { readReport } from './run-report';

// `tokenmeter report` over a ledger whose service and model names hold quotes, backslashes,
// commas, braces, regex characters and Unicode: every figure equals the ledger's (issue 17: a `"`
// once hid its calls from every figure).

// The sink trims surrounding whitespace from names, so the names here have none.
const names = [
  ...new Set(
    ['a"b', 'c\\d', "o'brien", ...fc.sample(hostileName, { numRuns: 12, seed: 17 })]
      .map((name) => name.trim())
      .filter(Boolean),
  ),
];
const HOUR = 3_600_000;
const calls: FixtureCall[] = names.map((name, i) => ({
  at: new Date(Date.now() - (i + 1) * HOUR),
  service: name,
  model: name,
  userId: `user-${i}`,
  prompt: name,
  plan: 'pro',
  billingMode: 'system',
  inputTokens: 100 * (i + 1),
  outputTokens: 10 * (i + 1),
  costUsd: 0.01 * (i + 1),
}));

describe('tokenmeter report with hostile service and model names', () => {
  let database: FixtureLedger;

  beforeAll(async () => {
    database = await ledgerOf('report_hostile', calls);
  });

  afterAll(async () => {
    await database?.close();
  });

  it('gives the ledger figures, every name listed with its own calls', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const ledger = (
        await client.query(
          'SELECT count(*)::int AS calls, sum(cost_usd) AS cost, count(DISTINCT service)::int AS services FROM tokenmeter.llm_calls',
        )
      ).rows[0] as { calls: number; cost: string; services: number };
      expect(ledger).toEqual(
        expect.objectContaining({ calls: names.length, services: names.length }),
      );

      const report = await readReport(database.url, { since: '30d' });
      expect(report.requests.total).toBe(names.length);
      expect(report.cost.totalUsd).toBeCloseTo(Number(ledger.cost), 9);
      expect(report.allTime.totalCostUsd).toBeCloseTo(Number(ledger.cost), 9);
      expect([...report.services].sort()).toEqual([...names].sort());
      const mix = new Map(report.modelMix.map((m) => [m.model, m]));
      names.forEach((name, i) => {
        expect(mix.get(name)).toEqual(
          expect.objectContaining({ requests: 1, costUsd: expect.closeTo(0.01 * (i + 1), 9) }),
        );
      });
    } finally {
      await client.end();
    }
  });
});

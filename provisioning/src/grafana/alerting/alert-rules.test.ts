import { Client } from 'pg';
import { rebuildRollups } from '@tokenmeter/collector';
import { ALERT_RULES } from './rules';
import { ALERT_THRESHOLDS } from './thresholds';
import {
  evaluateRule,
  provisionedRule,
  provisionedRules,
  type Backends,
} from '../../test-support/alert-evaluator';
import { createMigratedTestDatabase, type TestDatabase } from '@tokenmeter/test-support';
import { insertCalls, type FixtureCall } from '../../test-support/ledger-fixture';
import { D0, KNOWN_CALLS } from '../../test-support/known-usage';
import { startBackfilledPrometheus, type BackfilledPrometheus } from '@tokenmeter/test-support';
import { END, HEALTHY_AT, knownMetrics } from '../../test-support/known-metrics';

// Each rule of feature D1 (docs/features.md), as provisioned, evaluated on a scenario where it must stay quiet and one where
// it must fire: SQL rules on real PostgreSQL (at the real now), PromQL rules on real Prometheus.

let db: TestDatabase;
let client: Client;
let prometheus: BackfilledPrometheus;
let backends: Backends;

const TODAY_FREE = KNOWN_CALLS.filter((c) => c.plan === 'free' && c.ts.getTime() >= D0.getTime());

beforeAll(async () => {
  db = await createMigratedTestDatabase('alerts');
  client = new Client({ connectionString: db.url });
  await client.connect();
  // Quiet scenario: the known data set with only 3 of carol's 4 FREE calls of today.
  await insertCalls(
    client,
    KNOWN_CALLS.filter((c) => c !== TODAY_FREE[3]),
  );
  await rebuildRollups(client);
  prometheus = await startBackfilledPrometheus({ openMetrics: knownMetrics() });
  backends = {
    sql: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[],
    promql: (expr, time) => prometheus.query(expr, time),
  };
}, 120_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
  await prometheus?.stop();
});

const firing = async (uid: string, now: Date): Promise<string[]> =>
  (await evaluateRule(provisionedRule(uid), backends, now))
    .filter((i) => i.firing)
    .map((i) => JSON.stringify(i.labels));

describe('provisioned alert rules', () => {
  it('provisions every rule of feature D1 (docs/features.md) with the thresholds of thresholds.ts', () => {
    expect(provisionedRules().map((r) => r.uid)).toEqual(ALERT_RULES.map((r) => r.uid));
    const cost = provisionedRule('tokenmeter-high-cost');
    expect(cost.data[2]?.model.conditions).toEqual([
      { evaluator: { type: 'gt', params: [ALERT_THRESHOLDS.costUsd] } },
    ]);
    expect(cost.data[0]?.relativeTimeRange).toEqual({ from: 86_400, to: 0 });
  });

  describe('SQL rules', () => {
    it('stay quiet on ordinary usage', async () => {
      const now = new Date();
      expect(await firing('tokenmeter-high-cost', now)).toEqual([]);
      expect(await firing('tokenmeter-monthly-budget', now)).toEqual([]);
      expect(await firing('tokenmeter-free-quota-exceeded', now)).toEqual([]);
    });

    it('fire on a cost spike, a budget overrun and a FREE user over quota', async () => {
      const spike: FixtureCall = {
        ...(TODAY_FREE[0] as FixtureCall),
        ts: new Date(Date.now() - 1000),
        plan: 'pro',
        userId: 'big-spender',
        costUsd: '5000',
        durationMs: 10,
      };
      await insertCalls(client, [TODAY_FREE[3] as FixtureCall, spike]);
      await rebuildRollups(client);
      const now = new Date();
      const cost = await evaluateRule(provisionedRule('tokenmeter-high-cost'), backends, now);
      expect(cost.map((i) => i.firing)).toEqual([true]);
      expect(cost[0]?.value).toBeGreaterThanOrEqual(5000);
      expect(await firing('tokenmeter-monthly-budget', now)).toEqual(['{}']);
      const quota = await evaluateRule(
        provisionedRule('tokenmeter-free-quota-exceeded'),
        backends,
        now,
      );
      expect(quota).toEqual([{ labels: {}, value: 4, firing: true }]);
    });
  });

  describe('PromQL rules', () => {
    it('stay quiet while model calls are fast, succeed and every dependency is up', async () => {
      for (const uid of [
        'tokenmeter-slow-model-calls',
        'tokenmeter-llm-error-rate',
        'tokenmeter-health-check-failing',
        'tokenmeter-unpriced-tokens',
      ]) {
        expect({ uid, firing: await firing(uid, HEALTHY_AT) }).toEqual({ uid, firing: [] });
      }
    });

    it('fire for the slow model, the failing service and the component that is down', async () => {
      const slow = await evaluateRule(
        provisionedRule('tokenmeter-slow-model-calls'),
        backends,
        END,
      );
      expect(slow.filter((i) => i.firing)).toEqual([
        {
          labels: { job: 'api', gen_ai_request_model: 'gpt-4o' },
          value: expect.closeTo(2252, 6),
          firing: true,
        },
      ]);
      const errors = await evaluateRule(
        provisionedRule('tokenmeter-llm-error-rate'),
        backends,
        END,
      );
      expect(
        errors.filter((i) => i.firing).map((i) => [i.labels.job, Number(i.value.toFixed(6))]),
      ).toEqual([['api', 6.25]]);
      expect(await firing('tokenmeter-health-check-failing', END)).toEqual([
        JSON.stringify({ job: 'api', tokenmeter_health_component: 'redis' }),
      ]);
    });

    it('fire when tokens without a price appear, naming the service and model', async () => {
      // 4 input + 1 output unpriced tokens per second over the 10-minute window
      expect(
        await evaluateRule(provisionedRule('tokenmeter-unpriced-tokens'), backends, END),
      ).toEqual([
        {
          labels: {
            job: 'worker',
            gen_ai_provider_name: 'openai',
            gen_ai_request_model: 'in-house-model',
          },
          value: expect.closeTo(3000, 6),
          firing: true,
        },
      ]);
    });

    it('watch the pipeline: quiet while every target is up, alerting when the targets vanish', async () => {
      for (const uid of ['tokenmeter-pipeline-down', 'tokenmeter-ledger-database-down']) {
        expect({ uid, firing: await firing(uid, END) }).toEqual({ uid, firing: [] });
        expect(provisionedRule(uid)).toEqual(
          expect.objectContaining({ noDataState: 'Alerting', execErrState: 'Alerting' }),
        );
        // A day after the last sample Prometheus holds no `up` series: the rule's no-data state.
        await expect(
          evaluateRule(provisionedRule(uid), backends, new Date(END.getTime() + 86_400_000)),
        ).rejects.toThrow(/no data, state Alerting/);
      }
    });

    it('fire for each service that made calls the day before and none in the last hour', async () => {
      expect(await firing('tokenmeter-service-silent', END)).toEqual([]);
      const silent = await evaluateRule(
        provisionedRule('tokenmeter-service-silent'),
        backends,
        new Date(END.getTime() + 90 * 60_000),
      );
      expect(silent.filter((i) => i.firing).map((i) => [i.labels.job, i.value])).toEqual([
        ['api', 0],
        ['worker', 0],
      ]);
    });
  });
});

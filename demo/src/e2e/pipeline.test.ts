// The whole pipeline with real pieces: the demo service (its own process, instrumented) calling the
// simulated provider through the openai client, the Tokenmeter Collector, Prometheus, the usage
// sink and PostgreSQL; plus the backfill through the same Collector. What the traffic generator
// sent must be exactly what the ledger, the report and Prometheus show.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { readReport } from '@tokenmeter/cli';
import { startSink, type RunningSink } from '@tokenmeter/collector';
import {
  createTestDatabase,
  freePort,
  requireEnv,
  startCollector,
  type RunningCollector,
  type TestDatabase,
  waitFor,
} from '@tokenmeter/test-support';
import { startSimulatedProvider, type RunningProvider } from '../provider/simulated-provider';
import {
  startDemoServiceProcess,
  type RunningDemoServiceProcess,
} from '../orchestrator/demo-service-process';
import { startPrometheus, type RunningPrometheus } from '../orchestrator/prometheus-process';
import { backfill } from '../traffic/backfill';
import { runLiveTraffic } from '../traffic/live-traffic';
import { Tally } from '../traffic/tally';
import { demoUsers } from '../world';

jest.setTimeout(240_000);

const SEED = 'e2e-pipeline';
const COST_TOLERANCE = 1e-6;

describe('demo service → Collector → Prometheus and sink → PostgreSQL', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: RunningCollector;
  let prometheus: RunningPrometheus;
  let provider: RunningProvider;
  let service: RunningDemoServiceProcess;
  let workDir: string;
  let backfilled: Tally;
  let live: Tally;
  let sent: Tally;
  const sinkLog: string[] = [];

  beforeAll(async () => {
    const otelcol = requireEnv(
      'TOKENMETER_OTELCOL_BIN',
      'the Collector binary (collector/scripts/build-collector.sh)',
    );
    const prometheusBinary = join(
      requireEnv('TOKENMETER_PROMETHEUS_DIR', 'Prometheus 2.x (scripts/ensure/prometheus.sh)'),
      'prometheus',
    );
    workDir = mkdtempSync(join(tmpdir(), 'tm-demo-e2e-'));
    database = await createTestDatabase('e2e');
    sink = await startSink({
      databaseUrl: database.url,
      port: 0,
      log: (line) => sinkLog.push(line),
      processMetrics: false,
    });
    collector = await startCollector({
      binary: otelcol,
      sinkUrl: sink.url,
      logFile: join(workDir, 'collector.log'),
      ports: {
        otlpGrpc: await freePort(),
        otlpHttp: await freePort(),
        prometheusExporter: await freePort(),
        telemetry: await freePort(),
      },
    });
    prometheus = await startPrometheus({
      binary: prometheusBinary,
      port: await freePort(),
      dir: join(workDir, 'prometheus'),
      scrapeInterval: '1s',
      targets: { collectorMetrics: collector.metricsTarget },
    });
    provider = await startSimulatedProvider({ seed: SEED, latencyScale: 0.03 });
    service = await startDemoServiceProcess({
      port: await freePort(),
      databaseUrl: database.url,
      providerBaseUrl: provider.baseURL,
      otlpEndpoint: collector.otlpHttpUrl,
      otlpHeaders: collector.otlpHeaders,
      metricExportIntervalMs: 1000,
      logFile: join(workDir, 'service.log'),
    });

    const users = demoUsers(SEED, 25);
    backfilled = await backfill({
      otlpEndpoint: collector.otlpHttpUrl,
      otlpHeaders: collector.otlpHeaders,
      seed: SEED,
      users,
      days: 4,
      callsPerDay: 80,
    });
    live = await runLiveTraffic({
      serviceUrl: service.url,
      seed: SEED,
      users,
      ratePerSecond: 30,
      actions: 150,
      concurrency: 12,
    });
    sent = new Tally().merge(backfilled).merge(live);
  });

  afterAll(async () => {
    await service?.process.stop();
    await provider?.stop();
    await prometheus?.process.stop();
    await collector?.process.stop();
    await sink?.close();
    await database?.drop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  async function ledger(): Promise<Record<string, number>> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } =
        await client.query(`SELECT count(*) AS calls, count(*) FILTER (WHERE status = 'error') AS errors,
          sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cached_input_tokens) AS cached,
          sum(reasoning_tokens) AS reasoning, sum(cost_usd) AS cost FROM tokenmeter.llm_calls`);
      return Object.fromEntries(
        Object.entries(rows[0] as Record<string, string>).map(([key, value]) => [
          key,
          Number(value ?? 0),
        ]),
      );
    } finally {
      await client.end();
    }
  }

  /** What each hop said about the spans it handled: read when the ledger misses calls. */
  async function whereCallsWent(): Promise<string> {
    const counters = (await sink.metrics.registry.metrics())
      .split('\n')
      .filter((line) => /^tokenmeter_sink_(spans|requests)/.test(line));
    const problems = (file: string): string[] =>
      existsSync(join(workDir, file))
        ? readFileSync(join(workDir, file), 'utf8')
            .split('\n')
            .filter((line) => /error|drop|fail|reject|refus/i.test(line))
            .slice(-20)
        : [`(no ${file})`];
    return [
      `ledger: ${JSON.stringify(await ledger())}; sent: ${sent.total.calls} calls`,
      'sink counters:',
      ...counters,
      'sink log:',
      ...sinkLog.slice(-20),
      'collector log (errors):',
      ...problems('collector.log'),
      'service log (errors):',
      ...problems('service.log'),
    ].join('\n');
  }

  it('sent a mix worth checking: successes, failures, every model, both sources', () => {
    expect(backfilled.total.calls).toBeGreaterThan(200);
    expect(live.total.calls).toBeGreaterThan(50);
    expect(live.httpFailures).toBe(0);
    expect(sent.total.errors).toBeGreaterThan(0);
    expect(sent.total.cachedInputTokens).toBeGreaterThan(0);
    expect(sent.total.reasoningTokens).toBeGreaterThan(0);
    expect(live.byModel.size).toBeGreaterThanOrEqual(4);
  });

  it('lands every call in the ledger exactly once, with the tokens and cost sent', async () => {
    await waitFor(
      'the ledger to hold every call',
      async () => (((await ledger()).calls ?? 0) >= sent.total.calls ? true : undefined),
      60_000,
      500,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await whereCallsWent()}`);
    });
    // a moment more: anything extra (a duplicate) would show now
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const rows = await ledger();
    expect({
      calls: rows.calls,
      errors: rows.errors,
      input: rows.input,
      output: rows.output,
      cached: rows.cached,
      reasoning: rows.reasoning,
    }).toEqual({
      calls: sent.total.calls,
      errors: sent.total.errors,
      input: sent.total.inputTokens,
      output: sent.total.outputTokens,
      cached: sent.total.cachedInputTokens,
      reasoning: sent.total.reasoningTokens,
    });
    expect(Math.abs((rows.cost ?? 0) - sent.total.costUsd)).toBeLessThan(COST_TOLERANCE);
  });

  it('reports the same figures as were sent', async () => {
    const report = await readReport(database.url, { since: '5d' });
    expect(report.services).toEqual(['tokenmeter-demo']);
    expect(report.requests.total).toBe(sent.total.calls);
    expect(report.requests.errors).toBe(sent.total.errors);
    expect(report.tokens).toEqual({
      prompt: sent.total.inputTokens,
      completion: sent.total.outputTokens,
      cachedPrompt: sent.total.cachedInputTokens,
      total: sent.total.totalTokens,
    });
    expect(Math.abs(report.cost.totalUsd - sent.total.costUsd)).toBeLessThan(COST_TOLERANCE);
    expect(report.activeUsers).toBe(sent.byUser.size);
    for (const model of report.modelMix) {
      const expected = sent.byModel.get(model.model);
      expect({ model: model.model, requests: model.requests }).toEqual({
        model: model.model,
        requests: expected?.calls,
      });
      expect(Math.abs(model.costUsd - (expected?.costUsd ?? 0))).toBeLessThan(COST_TOLERANCE);
    }
    const topUser = [...sent.byUser.entries()].sort((a, b) => b[1].costUsd - a[1].costUsd)[0]!;
    expect(report.topUsers[0]?.userId).toBe(topUser[0]);
  });

  it('counts the live calls in Prometheus exactly: cost, tokens and calls', async () => {
    const value = async (promql: string): Promise<number> =>
      Number((await prometheus.query(promql))[0]?.value[1] ?? NaN);
    // The service exports every second and Prometheus scrapes every second: wait for the last export.
    await waitFor(
      'the cost counter to reach what the live traffic cost',
      async () =>
        Math.abs((await value('sum(tokenmeter_llm_cost_usd_total)')) - live.total.costUsd) <
        COST_TOLERANCE
          ? true
          : undefined,
      30_000,
      500,
    );
    expect(await value('sum(gen_ai_client_operation_duration_seconds_count)')).toBe(
      live.total.calls,
    );
    expect(await value('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="input"})')).toBe(
      live.total.inputTokens,
    );
    expect(await value('sum(gen_ai_client_token_usage_sum{gen_ai_token_type="output"})')).toBe(
      live.total.outputTokens,
    );
    expect(await value('sum(gen_ai_client_operation_duration_seconds_count{error_type!=""})')).toBe(
      live.total.errors,
    );
  });

  it('exports the service side: routes, health (Redis down, never faked), cache and domain events', async () => {
    const series = async (promql: string) => prometheus.query(promql);
    await waitFor(
      'the health gauge',
      async () => ((await series('tokenmeter_health_status')).length >= 3 ? true : undefined),
      30_000,
      500,
    );
    const health = Object.fromEntries(
      (await series('tokenmeter_health_status')).map((s) => [
        s.metric.tokenmeter_health_component,
        Number(s.value[1]),
      ]),
    );
    expect(health).toEqual({ postgres: 1, redis: 0, 'llm-provider': 1 });
    const routes = (
      await series('sum by (http_route) (http_server_request_duration_seconds_count)')
    ).map((s) => s.metric.http_route);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/api/v1/node/:pubkey/info',
        '/api/v1/node/:pubkey/priorities',
        '/api/v1/complete',
        '/api/v1/network/status',
      ]),
    );
    const cache = await series('sum by (cache_result) (tokenmeter_cache_requests_total)');
    expect(cache.map((s) => s.metric.cache_result).sort()).toEqual(['hit', 'miss']);
    const events = (await series('sum by (event_name) (tokenmeter_events_total)'))
      .map((s) => s.metric.event_name)
      .sort();
    expect(events).toEqual([
      'recommendation.generated',
      'recommendation.implemented',
      'recommendation.viewed',
    ]);
  });
  it('refuses bad input with clear errors and reports its health honestly', async () => {
    const pubkey = `02${'ab'.repeat(32)}`;
    const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
      const response = await fetch(`${service.url}${path}`, { method, headers });
      return {
        status: response.status,
        body: (await response.json().catch(() => ({}))) as Record<string, unknown>,
      };
    };
    const pro = { 'x-user-id': 'u-1', 'x-plan': 'pro' };
    expect(await get(`/api/v1/node/${pubkey}/priorities`)).toEqual({
      status: 400,
      body: { error: expect.stringMatching(/x-user-id is required/) },
    });
    expect(
      (await get(`/api/v1/node/${pubkey}/priorities`, { ...pro, 'x-plan': 'gold' })).body.error,
    ).toMatch(/x-plan must be one of free, pro/);
    expect(
      (await get(`/api/v1/node/${pubkey}/priorities`, { ...pro, 'x-billing-mode': 'byok' })).body
        .error,
    ).toMatch(/x-provider-key/);
    expect((await get('/api/v1/node/not-a-key/info', pro)).status).toBe(400);
    expect((await get('/api/v1/recommendations/nothing~0123456789/view', pro, 'POST')).status).toBe(
      404,
    );
    const health = await get('/health?refresh=1');
    expect(health.status).toBe(503);
    expect(health.body.components).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ component: 'postgres', status: 'up' }),
        expect.objectContaining({ component: 'llm-provider', status: 'up' }),
        expect.objectContaining({
          component: 'redis',
          status: 'down',
          error: expect.stringMatching(/no Redis configured/),
        }),
      ]),
    );
  });
});

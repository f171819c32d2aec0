import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ValueType } from '@opentelemetry/api';
import {
  GEN_AI_DURATION_BUCKETS_S,
  GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S,
  GEN_AI_TOKEN_USAGE_BUCKETS,
  HTTP_SERVER_DURATION_BUCKETS_S,
  METRIC_GEN_AI_CLIENT_OPERATION_DURATION,
  METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
  METRIC_TOKENMETER_CACHE_REQUESTS,
  METRIC_TOKENMETER_EVENTS,
  METRIC_TOKENMETER_HEALTH_LAST_CHECK,
  METRIC_TOKENMETER_HEALTH_STATUS,
  METRIC_TOKENMETER_LLM_COST,
  METRIC_TOKENMETER_LLM_UNPRICED_TOKENS,
  PROMETHEUS_METRIC,
} from '@tokenmeter/conventions';
import { startSink, type RunningSink } from './sink';
import {
  COLLECTOR_CONFIG,
  createTestDatabase,
  otelcolBinary,
  sdkMeterProvider,
  sdkTracer,
  startTestCollector,
  startTestPrometheus,
  waitFor,
  withClient,
  type TestCollector,
  type TestDatabase,
  type TestPrometheus,
} from '@tokenmeter/test-support';

const SERVICE = 'e2e-checkout';
const TOKEN = 'pipeline-token';

describe('the Collector configuration', () => {
  const validate = (tokens: Record<string, string>) =>
    promisify(execFile)(otelcolBinary(), ['validate', `--config=${COLLECTOR_CONFIG}`], { env: { PATH: process.env.PATH ?? '', ...tokens } });

  it('passes the Collector binary’s own validation', async () => {
    const { stdout, stderr } = await validate({ TOKENMETER_OTLP_TOKEN: 'otlp', TOKENMETER_INGEST_TOKEN: 'sink' });
    expect(`${stdout}${stderr}`).not.toMatch(/error/i);
  });

  it('refuses to run without the OTLP token or the sink token', async () => {
    await expect(validate({ TOKENMETER_INGEST_TOKEN: 'sink' })).rejects.toMatchObject({ stderr: expect.stringMatching(/bearertokenauth\/otlp: no bearer token/) });
    await expect(validate({ TOKENMETER_OTLP_TOKEN: 'otlp' })).rejects.toMatchObject({ stderr: expect.stringMatching(/bearertokenauth\/sink: no bearer token/) });
  });
});

describe('spans and metrics through the real Collector', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: TestCollector;
  let prometheus: TestPrometheus;
  let meterProvider: ReturnType<typeof sdkMeterProvider> | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('pipeline');
    sink = await startSink({ databaseUrl: database.url, port: 0, ingestToken: TOKEN, log: () => undefined });
    collector = await startTestCollector(sink.url, TOKEN);
    prometheus = await startTestPrometheus([
      { job: 'otel-collector', target: collector.prometheusTarget },
      { job: 'otel-collector-self', target: collector.telemetryTarget },
      { job: 'tokenmeter-sink', target: sink.url.replace('http://', ''), bearerToken: TOKEN },
    ]);
  });

  afterAll(async () => {
    await meterProvider?.shutdown().catch(() => undefined);
    await prometheus?.stop();
    await collector?.stop();
    await sink?.close();
    await database?.drop();
  });

  it('writes every GenAI span to PostgreSQL once and drops the other spans', async () => {
    const tracer = sdkTracer(collector.otlpHttpUrl, SERVICE, collector.otlpHeaders);
    for (let i = 0; i < 30; i++) {
      tracer.recordCall({ userId: `user-${i % 3}`, promptName: 'cart-summary', error: i === 7 ? 'rate_limit_exceeded' : undefined });
      tracer.recordOtherSpan(`GET /api/v1/things/${i}`);
    }
    await tracer.flush();
    await tracer.shutdown();
    const count = async (): Promise<number> =>
      withClient(database.url, async (client) => Number((await client.query('SELECT count(*) FROM tokenmeter.llm_calls')).rows[0].count));
    await waitFor('30 rows in tokenmeter.llm_calls', async () => ((await count()) >= 30 ? true : undefined), 60_000);
    const rows = await withClient(database.url, async (client) =>
      (await client.query(`SELECT service, status, error_type, count(*)::int AS calls, sum(cost_usd) > 0 AS priced
        FROM tokenmeter.llm_calls GROUP BY 1, 2, 3 ORDER BY 2`)).rows,
    );
    expect(rows).toEqual([
      { service: SERVICE, status: 'error', error_type: 'rate_limit_exceeded', calls: 1, priced: true },
      { service: SERVICE, status: 'success', error_type: null, calls: 29, priced: true },
    ]);
    const ignored = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(ignored).toMatch(/^tokenmeter_sink_spans_ignored_total 0$/m);
  });

  it('exposes every metric of the contract in Prometheus under the names of docs/contracts.md, the service as `job`', async () => {
    meterProvider = sdkMeterProvider(collector.otlpHttpUrl, SERVICE, collector.otlpHeaders);
    const meter = meterProvider.getMeter('tokenmeter-collector-tests');
    const call = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'tokenmeter.billing.mode': 'system',
      'tokenmeter.prompt.name': 'cart-summary',
    };
    // Units and buckets as @tokenmeter/instrumentation creates its instruments.
    meter.createHistogram(METRIC_GEN_AI_CLIENT_OPERATION_DURATION, { unit: 's', advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS_S] } })
      .record(1.7, { ...call, 'error.type': 'timeout' });
    const tokens = meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, { unit: '{token}', valueType: ValueType.INT, advice: { explicitBucketBoundaries: [...GEN_AI_TOKEN_USAGE_BUCKETS] } });
    tokens.record(1200, { ...call, 'gen_ai.token.type': 'input' });
    tokens.record(300, { ...call, 'gen_ai.token.type': 'output' });
    meter.createHistogram(METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK, { unit: 's', advice: { explicitBucketBoundaries: [...GEN_AI_TIME_TO_FIRST_CHUNK_BUCKETS_S] } })
      .record(0.3, call);
    meter.createCounter(METRIC_TOKENMETER_LLM_COST, { unit: '{USD}' }).add(0.0125, call);
    meter.createCounter(METRIC_TOKENMETER_LLM_UNPRICED_TOKENS, { unit: '{token}', valueType: ValueType.INT })
      .add(500, { 'gen_ai.provider.name': 'acme', 'gen_ai.request.model': 'in-house', 'gen_ai.token.type': 'input' });
    meter.createHistogram(METRIC_HTTP_SERVER_REQUEST_DURATION, { unit: 's', advice: { explicitBucketBoundaries: [...HTTP_SERVER_DURATION_BUCKETS_S] } })
      .record(0.042, { 'http.request.method': 'GET', 'http.route': '/api/v1/node/{pubkey}/info', 'http.response.status_code': 200 });
    // Unit '{status}': a gauge of unit '1' would be exported as tokenmeter_health_status_ratio.
    meter.createObservableGauge(METRIC_TOKENMETER_HEALTH_STATUS, { unit: '{status}' })
      .addCallback((result) => result.observe(1, { 'tokenmeter.health.component': 'redis' }));
    meter.createObservableGauge(METRIC_TOKENMETER_HEALTH_LAST_CHECK, { unit: 's' })
      .addCallback((result) => result.observe(Date.now() / 1000, { 'tokenmeter.health.component': 'redis' }));
    meter.createCounter(METRIC_TOKENMETER_CACHE_REQUESTS, { unit: '{request}', valueType: ValueType.INT })
      .add(3, { 'cache.name': 'node-info', 'cache.result': 'hit' });
    meter.createCounter(METRIC_TOKENMETER_EVENTS, { unit: '{event}', valueType: ValueType.INT })
      .add(2, { 'event.name': 'recommendation.generated', 'event.type': 'open_channel' });
    await meterProvider.forceFlush();

    const expectations: [string, Record<string, string>][] = [
      [`${PROMETHEUS_METRIC.operationDuration}_bucket`, { le: '2', gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o-mini', error_type: 'timeout', tokenmeter_billing_mode: 'system', tokenmeter_prompt_name: 'cart-summary' }],
      [`${PROMETHEUS_METRIC.operationDuration}_count`, {}],
      [`${PROMETHEUS_METRIC.operationDuration}_sum`, {}],
      [`${PROMETHEUS_METRIC.tokenUsage}_bucket`, { gen_ai_token_type: 'input' }],
      [`${PROMETHEUS_METRIC.tokenUsage}_sum`, { gen_ai_token_type: 'output' }],
      [`${PROMETHEUS_METRIC.timeToFirstChunk}_bucket`, { le: '2' }],
      [PROMETHEUS_METRIC.costUsd, { gen_ai_request_model: 'gpt-4o-mini' }],
      [PROMETHEUS_METRIC.unpricedTokens, { gen_ai_request_model: 'in-house', gen_ai_token_type: 'input' }],
      [`${PROMETHEUS_METRIC.httpServerDuration}_bucket`, { http_route: '/api/v1/node/{pubkey}/info', http_response_status_code: '200', http_request_method: 'GET' }],
      [PROMETHEUS_METRIC.healthStatus, { tokenmeter_health_component: 'redis' }],
      [PROMETHEUS_METRIC.healthLastCheck, { tokenmeter_health_component: 'redis' }],
      [PROMETHEUS_METRIC.cacheRequests, { cache_name: 'node-info', cache_result: 'hit' }],
      [PROMETHEUS_METRIC.events, { event_name: 'recommendation.generated', event_type: 'open_channel' }],
    ];
    for (const [name, labels] of expectations) {
      const selector = `${name}{job="${SERVICE}"}`;
      const series = await waitFor(`${selector} in Prometheus`, async () => {
        const result = await prometheus.query(selector);
        return result.length > 0 ? result : undefined;
      }, 60_000);
      expect({ name, matches: series.some((s) => Object.entries(labels).every(([k, v]) => s.metric[k] === v)) }).toEqual({ name, matches: true });
      expect(series.every((s) => s.metric.instance === `${SERVICE}-1`)).toBe(true);
    }
    const cost = await prometheus.query(`sum(${PROMETHEUS_METRIC.costUsd}{job="${SERVICE}"})`);
    expect(Number(cost[0]!.value[1])).toBeCloseTo(0.0125, 6);
  });

  it('lets Prometheus scrape the pipeline’s own health: the Collector and the sink', async () => {
    // The Collector's own metrics carry no `_total` suffix (its telemetry exporter's default).
    for (const selector of ['otelcol_receiver_accepted_spans', 'otelcol_exporter_sent_spans', 'otelcol_processor_filter_spans_filtered', 'tokenmeter_sink_rows_written_total']) {
      await waitFor(`${selector} in Prometheus`, async () => ((await prometheus.query(selector)).length > 0 ? true : undefined), 60_000);
    }
    const up = await prometheus.query('up');
    expect(up.map((s) => [s.metric.job, s.value[1]]).sort()).toEqual([
      ['otel-collector', '1'], ['otel-collector-self', '1'], ['tokenmeter-sink', '1'],
    ]);
  });
});

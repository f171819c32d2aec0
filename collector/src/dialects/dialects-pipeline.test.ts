import { PricingCatalog } from '@tokenmeter/conventions/pricing';
import { startSink, type RunningSink } from '../sink';
import { keyValue, newSpanId, newTraceId, traceRequestProtobuf } from '../test-support/genai-spans';
import { startTestCollector, waitFor, type TestCollector } from '@tokenmeter/test-support';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import {
  DIALECT_FIXTURES,
  type DialectFixture,
  type ExpectedCall,
} from './dialect-fixtures';

// Every dialect's fixture sent as its emitter would (OTLP/HTTP protobuf) through the real Collector
// (its generated filter) and the sink into PostgreSQL; each ledger row compared field by field with
// what the fixture says, and its cost with the catalog's to 1e-9 USD.

const TOKEN = 'dialects-token';
const catalog = PricingCatalog.load();


const serviceOf = (fixture: DialectFixture): string =>
  `dialect-${fixture.label.replace(/[^a-z0-9.-]+/gi, '-')}`;

interface SentSpan {
  fixture: DialectFixture;
  spanId: string;
  startMs: number;
  expected: ExpectedCall;
}

function requestOf(
  fixtures: DialectFixture[],
  nowMs: number,
): { body: Buffer; sent: SentSpan[]; spans: number } {
  const sent: SentSpan[] = [];
  let spans = 0;
  const resourceSpans = fixtures.map((fixture) => {
    const traceId = newTraceId();
    const otlpSpans = fixture.spans.map((span, i) => {
      const spanId = newSpanId();
      const startMs = nowMs - 60_000 + i * 10;
      if (span.expected) sent.push({ fixture, spanId, startMs, expected: span.expected });
      spans++;
      const startNs = BigInt(startMs) * 1_000_000n;
      return {
        traceId,
        spanId,
        name: span.name,
        kind: span.kind,
        startTimeUnixNano: startNs.toString(),
        endTimeUnixNano: (startNs + BigInt(span.durationMs) * 1_000_000n).toString(),
        attributes: Object.entries(span.attributes).map(([key, value]) => keyValue(key, value)),
        status: span.error ? { code: 2, message: span.error } : { code: 0 },
      };
    });
    return {
      resource: { attributes: [keyValue('service.name', serviceOf(fixture))] },
      scopeSpans: [{ scope: { name: `fixture-${fixture.label}` }, spans: otlpSpans }],
    };
  });
  return { body: traceRequestProtobuf({ resourceSpans }), sent, spans };
}

/** The catalog's cost of an expected call: the answered model first, then the requested one. */
function catalogCost(expected: ExpectedCall, at: number): number | null {
  if (expected.costSource !== 'computed') return null;
  const usage = {
    inputTokens: expected.inputTokens,
    outputTokens: expected.outputTokens,
    cachedInputTokens: expected.cachedInputTokens,
    cacheWriteInputTokens: expected.cacheWriteInputTokens,
    reasoningTokens: expected.reasoningTokens,
  };
  for (const model of [expected.responseModel, expected.requestModel]) {
    if (!model) continue;
    const priced = catalog.price(
      expected.provider,
      model,
      usage,
      at,
      expected.serviceTier ? { serviceTier: expected.serviceTier } : undefined,
    );
    if (priced) return priced.costUsd;
  }
  throw new Error(
    `the fixture expects a computed cost but the catalog has no price for ${expected.provider} ${expected.requestModel}`,
  );
}

interface LedgerRow {
  span_id: string;
  service: string;
  provider: string;
  operation: string;
  request_model: string;
  response_model: string | null;
  input_tokens: string;
  output_tokens: string;
  cached_input_tokens: string;
  cache_write_input_tokens: string;
  reasoning_tokens: string;
  total_tokens: string;
  user_id: string | null;
  session_id: string | null;
  prompt_name: string | null;
  prompt_version: string | null;
  service_tier: string | null;
  streaming: boolean;
  time_to_first_token_ms: number | null;
  status: 'success' | 'error';
  error_type: string | null;
  cost_usd: string | null;
  cost_source: 'computed' | 'reported' | 'unpriced';
  unpriced_reason: string | null;
  reported_cost_usd: string | null;
  attributes: Record<string, unknown>;
}

const asNumber = (value: string | null): number | null => (value === null ? null : Number(value));

function storedAsExpected(row: LedgerRow): ExpectedCall {
  return {
    provider: row.provider,
    operation: row.operation,
    requestModel: row.request_model,
    responseModel: row.response_model,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteInputTokens: Number(row.cache_write_input_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    userId: row.user_id,
    sessionId: row.session_id,
    promptName: row.prompt_name,
    promptVersion: row.prompt_version,
    serviceTier: row.service_tier,
    streaming: row.streaming,
    timeToFirstTokenMs: row.time_to_first_token_ms,
    status: row.status,
    errorType: row.error_type,
    costSource: row.cost_source,
    reportedCostUsd: asNumber(row.reported_cost_usd),
  };
}

describe('spans of every GenAI dialect through the real Collector and the sink', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: TestCollector;
  let rows: Map<string, LedgerRow>;
  let sent: SentSpan[];
  let spansSent: number;
  const report: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('dialects');
    sink = await startSink({
      databaseUrl: database.url,
      port: 0,
      ingestToken: TOKEN,
      log: () => undefined,
    });
    collector = await startTestCollector(sink.url, TOKEN);
    const request = requestOf(DIALECT_FIXTURES, Date.now());
    sent = request.sent;
    spansSent = request.spans;
    const response = await fetch(`${collector.otlpHttpUrl}/v1/traces`, {
      method: 'POST',
      headers: { ...collector.otlpHeaders, 'content-type': 'application/x-protobuf' },
      body: request.body,
    });
    expect(response.status).toBe(200);
    const read = async (): Promise<LedgerRow[]> =>
      withClient(
        database.url,
        async (client) =>
          (await client.query<LedgerRow>('SELECT * FROM tokenmeter.llm_calls')).rows,
      );
    await waitFor(
      `${sent.length} rows in tokenmeter.llm_calls`,
      async () => ((await read()).length >= sent.length ? true : undefined),
      60_000,
    );
    // Whatever else the Collector would forward has arrived by now (it flushes every 500 ms).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    rows = new Map((await read()).map((row) => [row.span_id, row]));
  }, 120_000);

  afterAll(async () => {
    if (report.length > 0) process.stdout.write(`\n${report.join('\n')}\n`);
    await collector?.stop();
    await sink?.close();
    await database?.drop();
  });

  it('stores exactly the model calls: agent, workflow, chain, tool and HTTP spans never reach the ledger', async () => {
    expect(rows.size).toBe(sent.length);
    expect([...rows.keys()].sort()).toEqual(sent.map((span) => span.spanId).sort());
    expect(spansSent - sent.length).toBeGreaterThanOrEqual(12);
    // The filter dropped them before the sink: the sink saw no span it had to ignore.
    const metrics = await (await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(metrics).toMatch(/^tokenmeter_sink_spans_ignored_total 0$/m);
    expect(metrics).toMatch(
      new RegExp(`^tokenmeter_sink_spans_accepted_total ${sent.length}$`, 'm'),
    );
  });

  it('stores every field of every dialect as the fixture expects, and the cost to 1e-9 USD against the catalog', () => {
    const lines = [
      '| dialect | calls sent / stored | input | output | cache read | cache write | reasoning | cost error (USD) |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const fixture of DIALECT_FIXTURES) {
      const ofFixture = sent.filter((span) => span.fixture === fixture);
      const totals = {
        stored: 0,
        input: [0, 0],
        output: [0, 0],
        cacheRead: [0, 0],
        cacheWrite: [0, 0],
        reasoning: [0, 0],
      };
      let costError = 0;
      for (const span of ofFixture) {
        const row = rows.get(span.spanId)!;
        expect({ fixture: fixture.label, service: row.service, ...storedAsExpected(row) }).toEqual({
          fixture: fixture.label,
          service: serviceOf(fixture),
          ...span.expected,
        });
        expect(Number(row.total_tokens)).toBe(
          span.expected.inputTokens + span.expected.outputTokens,
        );
        const expectedCost =
          span.expected.costSource === 'reported'
            ? span.expected.reportedCostUsd
            : catalogCost(span.expected, span.startMs);
        if (expectedCost === null) {
          expect({
            fixture: fixture.label,
            cost: row.cost_usd,
            reason: typeof row.unpriced_reason,
          }).toEqual({
            fixture: fixture.label,
            cost: null,
            reason: 'string',
          });
        } else {
          const error = Math.abs(Number(row.cost_usd) - expectedCost);
          expect({ fixture: fixture.label, error: error <= 1e-9 }).toEqual({
            fixture: fixture.label,
            error: true,
          });
          costError = Math.max(costError, error);
        }
        // No message content from any dialect (docs/features.md G3).
        expect(JSON.stringify(row.attributes)).not.toMatch(/secret/);
        totals.stored++;
        const pairs: [keyof typeof totals, number, string][] = [
          ['input', span.expected.inputTokens, row.input_tokens],
          ['output', span.expected.outputTokens, row.output_tokens],
          ['cacheRead', span.expected.cachedInputTokens, row.cached_input_tokens],
          ['cacheWrite', span.expected.cacheWriteInputTokens, row.cache_write_input_tokens],
          ['reasoning', span.expected.reasoningTokens, row.reasoning_tokens],
        ];
        for (const [name, expected, stored] of pairs) {
          (totals[name] as number[])[0]! += expected;
          (totals[name] as number[])[1]! += Number(stored);
        }
      }
      const pair = ([expected, stored]: number[]): string => `${expected} / ${stored}`;
      lines.push(
        `| ${fixture.label} | ${ofFixture.length} / ${totals.stored} | ${pair(totals.input)} | ${pair(totals.output)} | ${pair(totals.cacheRead)} | ${pair(totals.cacheWrite)} | ${pair(totals.reasoning)} | ${costError.toExponential(1)} |`,
      );
    }
    report.push(
      'Per-dialect ledger check (expected / stored, tokens in the ledger convention: input includes cache reads and writes):',
      ...lines,
    );
  });
});

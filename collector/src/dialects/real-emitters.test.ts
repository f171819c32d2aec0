import { PricingCatalog } from '@tokenmeter/conventions/pricing';
import {
  CANNED_COMPLETION,
  CANNED_CONTENT_MARKER,
  CANNED_MODELS,
  CANNED_STREAM,
  createTestDatabase,
  pythonEmitters,
  startCannedOpenAIServer,
  startTestCollector,
  waitFor,
  withClient,
  type CannedOpenAIServer,
  type TestCollector,
  type TestDatabase,
} from '@tokenmeter/test-support';
import { startSink, type RunningSink } from '../sink';
import {
  CALL_KINDS,
  REAL_EMITTERS,
  runEmitter,
  type CallKind,
  type EmitterRun,
  type RealEmitter,
} from '../test-support/emitters/real-emitters';

// Telemetry no one here wrote: each third-party OpenAI instrumentation (Python and Node) runs in
// its own process with the real `openai` client against a canned OpenAI-compatible server, and
// exports OTLP/HTTP to the real Collector (its generated filter) → the sink → PostgreSQL. Every
// ledger row is compared with what the SERVER answered (not with what the span said), less the
// figures the emitter is known not to record (../test-support/emitters/real-emitters.ts, gaps).

const TOKEN = 'real-emitters-token';
const MODEL = 'o4-mini';
const catalog = PricingCatalog.load();

interface LedgerRow {
  ts: Date;
  span_id: string;
  provider: string;
  operation: string;
  request_model: string;
  response_model: string | null;
  input_tokens: string;
  output_tokens: string;
  cached_input_tokens: string;
  cache_write_input_tokens: string;
  reasoning_tokens: string;
  streaming: boolean;
  status: 'success' | 'error';
  error_type: string | null;
  cost_usd: string | null;
  cost_source: 'computed' | 'reported' | 'unpriced';
  attributes: Record<string, unknown>;
}

/** What one call's ledger row must hold: the canned answer, less the emitter's known gaps. */
interface ExpectedRow {
  provider: string;
  operation: string;
  requestModel: string;
  responseModel: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningTokens: number;
  streaming: boolean;
  status: 'success' | 'error';
  errorType: string | null;
  costSource: 'computed' | 'unpriced';
}

const has = (list: readonly CallKind[] | undefined, kind: CallKind): boolean =>
  list?.includes(kind) ?? false;

function expectedRow(emitter: RealEmitter, kind: CallKind): ExpectedRow {
  const gaps = emitter.gaps;
  const base = {
    provider: 'openai',
    operation: 'chat',
    requestModel: MODEL,
    cacheWriteInputTokens: 0,
  };
  if (kind === 'error') {
    return {
      ...base,
      responseModel: null,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      streaming: false,
      status: 'error',
      errorType: gaps.noErrorType ? '_OTHER' : 'BadRequestError',
      // A failed call without usage was not billed: it costs 0.
      costSource: 'computed',
    };
  }
  const answer = kind === 'chat' ? CANNED_COMPLETION : CANNED_STREAM;
  const usage = !has(gaps.noUsage, kind);
  return {
    ...base,
    responseModel: has(gaps.noResponseModel, kind) ? null : CANNED_MODELS[MODEL]!,
    inputTokens: usage ? answer.promptTokens : 0,
    outputTokens: usage ? answer.completionTokens : 0,
    cachedInputTokens: usage && !has(gaps.noCachedTokens, kind) ? answer.cachedTokens : 0,
    reasoningTokens: usage && !has(gaps.noReasoningTokens, kind) ? answer.reasoningTokens : 0,
    streaming: kind === 'stream' && !gaps.noStreamingFlag,
    status: 'success',
    errorType: null,
    // No token count at all: unpriced with its reason, never a silent $0.
    costSource: usage ? 'computed' : 'unpriced',
  };
}

const storedRow = (row: LedgerRow): ExpectedRow => ({
  provider: row.provider,
  operation: row.operation,
  requestModel: row.request_model,
  responseModel: row.response_model,
  inputTokens: Number(row.input_tokens),
  outputTokens: Number(row.output_tokens),
  cachedInputTokens: Number(row.cached_input_tokens),
  cacheWriteInputTokens: Number(row.cache_write_input_tokens),
  reasoningTokens: Number(row.reasoning_tokens),
  streaming: row.streaming,
  status: row.status,
  errorType: row.error_type,
  costSource: row.cost_source as ExpectedRow['costSource'],
});

/** The catalog's price of the expected row's tokens. */
function catalogCost(expected: ExpectedRow, at: Date): number {
  const priced = catalog.price(
    expected.provider,
    expected.responseModel ?? expected.requestModel,
    {
      inputTokens: expected.inputTokens,
      outputTokens: expected.outputTokens,
      cachedInputTokens: expected.cachedInputTokens,
      cacheWriteInputTokens: expected.cacheWriteInputTokens,
      reasoningTokens: expected.reasoningTokens,
    },
    at.getTime(),
  );
  if (!priced) throw new Error(`the catalog has no price for openai ${expected.requestModel}`);
  return priced.costUsd;
}

/** The calls whose span reaches the ledger, in the order the emitter makes them. */
const callsStored = (emitter: RealEmitter): CallKind[] =>
  CALL_KINDS.filter((kind) => kind !== 'error' || !emitter.gaps.noErrorSpan);

const serviceOf = (emitter: RealEmitter): string => `real-emitter-${emitter.id}`;

describe('real third-party OpenAI instrumentations through the real Collector and the sink', () => {
  let database: TestDatabase;
  let sink: RunningSink;
  let collector: TestCollector;
  let server: CannedOpenAIServer;
  const runs = new Map<RealEmitter, EmitterRun>();
  const rows = new Map<string, LedgerRow[]>();

  beforeAll(async () => {
    const pythonPath = pythonEmitters();
    database = await createTestDatabase('real_emitters');
    sink = await startSink({
      databaseUrl: database.url,
      port: 0,
      ingestToken: TOKEN,
      log: () => undefined,
    });
    collector = await startTestCollector(sink.url, TOKEN);
    server = await startCannedOpenAIServer();
    // One process per emitter, as many services would run; two at a time on a small machine.
    const queue = [...REAL_EMITTERS];
    const worker = async (): Promise<void> => {
      for (let emitter = queue.shift(); emitter; emitter = queue.shift()) {
        runs.set(
          emitter,
          await runEmitter(emitter, {
            pythonPath,
            baseUrl: server.baseUrl,
            otlpHttpUrl: collector.otlpHttpUrl,
            otlpHeaders: collector.otlpHeaders,
            service: serviceOf(emitter),
            calls: CALL_KINDS,
          }),
        );
      }
    };
    await Promise.all([worker(), worker()]);
    const expectedRows = REAL_EMITTERS.reduce((sum, e) => sum + callsStored(e).length, 0);
    const read = (): Promise<(LedgerRow & { service: string })[]> =>
      withClient(
        database.url,
        async (client) =>
          (
            await client.query<LedgerRow & { service: string }>(
              'SELECT * FROM tokenmeter.llm_calls ORDER BY ts',
            )
          ).rows,
      );
    await waitFor(
      `${expectedRows} rows in tokenmeter.llm_calls`,
      async () => ((await read()).length >= expectedRows ? true : undefined),
      60_000,
    ).catch(() => undefined); // the per-emitter tests say which rows are missing
    // Whatever else the Collector would forward has arrived by now (it flushes every 500 ms).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const row of await read()) rows.set(row.service, [...(rows.get(row.service) ?? []), row]);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    await collector?.stop();
    await sink?.close();
    await database?.drop();
  });

  describe.each(REAL_EMITTERS.map((emitter) => [emitter.name, emitter] as const))(
    '%s',
    (_name, emitter) => {
      it('makes its three calls against the canned server and exports every span', () => {
        const run = runs.get(emitter)!;
        expect({
          code: run.code,
          stdout: run.stdout,
          stderr: run.code === 0 ? '' : run.stderr,
        }).toEqual({
          code: 0,
          stdout: 'chat ok\nstream ok\nerror BadRequestError\n',
          stderr: '',
        });
      });

      it('lands one ledger row per model call, each as the server answered it, priced by the catalog to 1e-9 USD', () => {
        const stored = rows.get(serviceOf(emitter)) ?? [];
        const kinds = callsStored(emitter);
        expect(stored.map(storedRow)).toEqual(kinds.map((kind) => expectedRow(emitter, kind)));
        stored.forEach((row, i) => {
          const expected = expectedRow(emitter, kinds[i]!);
          if (expected.costSource === 'unpriced') {
            expect(row.cost_usd).toBeNull();
            return;
          }
          const error = Math.abs(Number(row.cost_usd) - catalogCost(expected, row.ts));
          expect({ call: kinds[i], costError: error <= 1e-9 }).toEqual({
            call: kinds[i],
            costError: true,
          });
        });
      });

      it('stores no prompt or response text (it sent them: content capture is on)', () => {
        for (const row of rows.get(serviceOf(emitter)) ?? []) {
          const text = JSON.stringify(row);
          expect(text).not.toContain(CANNED_CONTENT_MARKER);
          expect(text).not.toContain('Which channel should I rebalance?');
        }
      });
    },
  );

  it('received each call once from each emitter', () => {
    expect(server.received).toHaveLength(REAL_EMITTERS.length * CALL_KINDS.length);
  });

  it('refuses none of their spans (the Collector logs the reasons of any refusal)', async () => {
    const metrics = await (
      await fetch(`${sink.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    const refusals = collector
      .output()
      .split('\n')
      .filter((line) => line.includes('rejected'));
    expect({
      refusals,
      rejected: /^tokenmeter_sink_spans_rejected_total\{/m.test(metrics),
    }).toEqual({
      refusals: [],
      rejected: false,
    });
    const stored = REAL_EMITTERS.reduce((sum, emitter) => sum + callsStored(emitter).length, 0);
    expect(metrics).toMatch(new RegExp(`^tokenmeter_sink_spans_accepted_total ${stored}$`, 'm'));
  });
});

import { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { rollupMismatches } from '../test-support/ledger-checks';
import { createTestDatabase, withClient, type TestDatabase } from '../test-support/test-database';
import { copyRows } from './copy-text';
import { LedgerWriter } from './ledger-writer';
import type { LlmCall } from './llm-call';

let database: TestDatabase;
let pool: Pool;
let writer: LedgerWriter;

beforeAll(async () => {
  database = await createTestDatabase('writer');
  await migrate(database.url);
  pool = new Pool({ connectionString: database.url, max: 2 });
  writer = new LedgerWriter(pool);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

let sequence = 0;
function call(overrides: Partial<LlmCall> = {}): LlmCall {
  sequence++;
  return {
    ts: new Date(Date.now() - 3_600_000 + sequence),
    durationMs: 800 + sequence,
    traceId: sequence.toString(16).padStart(32, 'a'),
    spanId: sequence.toString(16).padStart(16, 'b'),
    service: 'writer-test',
    provider: 'openai',
    operation: 'chat',
    requestModel: 'gpt-4o-mini',
    responseModel: 'gpt-4o-mini-2024-07-18',
    promptName: 'summarise',
    userId: `user-${sequence % 3}`,
    billingMode: 'system',
    plan: 'pro',
    status: 'success',
    errorType: null,
    inputTokens: 1000,
    outputTokens: 200,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    totalTokens: 1200,
    costUsd: 0.00027,
    pricingVersion: '2026-11-01',
    streaming: false,
    timeToFirstTokenMs: null,
    outputTokensPerS: null,
    attributes: '{}',
    ...overrides,
  };
}

const storedSpans = (): Promise<string[]> =>
  withClient(database.url, async (client) =>
    (await client.query<{ span_id: string }>("SELECT span_id FROM tokenmeter.llm_calls WHERE service = 'writer-test' ORDER BY span_id")).rows.map((row) => row.span_id),
  );

describe('LedgerWriter', () => {
  it('inserts only the spans not yet stored when a batch mixes redelivered and new ones, and rolls up only those', async () => {
    const [a, b, c] = [call(), call(), call()];
    expect(await writer.write([copyRows([a!, b!])])).toEqual({ inserted: 2, refused: [] });
    expect(await writer.write([copyRows([b!]), copyRows([c!, a!])])).toEqual({ inserted: 1, refused: [] });
    expect(await storedSpans()).toEqual([a!.spanId, b!.spanId, c!.spanId].sort());
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('refuses only the row the database rejects, numbered across the batches of the transaction, and commits the others', async () => {
    const before = await storedSpans();
    // billing_mode outside the CHECK constraint: mapped spans never carry it, so it stands for any row PostgreSQL refuses.
    const calls = [call(), call(), call({ billingMode: 'unknown' }), call(), call()];
    const result = await writer.write([copyRows(calls.slice(0, 2)), copyRows(calls.slice(2))]);
    expect(result.inserted).toBe(4);
    expect(result.refused).toEqual([{ row: 2, reason: expect.stringContaining('check constraint') }]);
    const expected = [...before, ...calls.filter((_, i) => i !== 2).map((c) => c.spanId)].sort();
    expect(await storedSpans()).toEqual(expected);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });
});

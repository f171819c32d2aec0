import type { Pool } from 'pg';
import { rollupMismatches } from '../test-support/ledger-checks';
import {
  createMigratedTestDatabase,
  testPool,
  withClient,
  type TestDatabase,
} from '@tokenmeter/test-support';
import { copyRows } from './copy-text';
import { LedgerWriter } from './ledger-writer';
import { COPY_STAGING, UNNEST_STAGING, rowStagingFor } from './row-staging';
import { testCall as call } from '../test-support/llm-calls';

let database: TestDatabase;
let pool: Pool;
let writer: LedgerWriter;

beforeAll(async () => {
  database = await createMigratedTestDatabase('writer');
  pool = testPool(database.url, 2);
  writer = new LedgerWriter(pool);
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const storedSpans = (): Promise<string[]> =>
  withClient(database.url, async (client) =>
    (
      await client.query<{ span_id: string }>(
        "SELECT span_id FROM tokenmeter.llm_calls WHERE service = 'writer-test' ORDER BY span_id",
      )
    ).rows.map((row) => row.span_id),
  );

describe('LedgerWriter', () => {
  it('inserts only the spans not yet stored when a batch mixes redelivered and new ones, and rolls up only those', async () => {
    const [a, b, c] = [call(), call(), call()];
    expect(await writer.write([copyRows([a!, b!])])).toEqual({ inserted: 2, refused: [] });
    expect(await writer.write([copyRows([b!]), copyRows([c!, a!])])).toEqual({
      inserted: 1,
      refused: [],
    });
    expect(await storedSpans()).toEqual([a!.spanId, b!.spanId, c!.spanId].sort());
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('refuses only the row the database rejects, numbered across the batches of the transaction, and commits the others', async () => {
    const before = await storedSpans();
    // billing_mode outside the CHECK constraint: mapped spans never carry it, so it stands for any row PostgreSQL refuses.
    const calls = [call(), call(), call({ billingMode: 'unknown' }), call(), call()];
    const result = await writer.write([copyRows(calls.slice(0, 2)), copyRows(calls.slice(2))]);
    expect(result.inserted).toBe(4);
    expect(result.refused).toEqual([
      { row: 2, reason: expect.stringContaining('check constraint') },
    ]);
    const expected = [...before, ...calls.filter((_, i) => i !== 2).map((c) => c.spanId)].sort();
    expect(await storedSpans()).toEqual(expected);
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('stages by unnest, for servers without COPY FROM STDIN, with the same outcome', async () => {
    const unnestWriter = new LedgerWriter(pool, UNNEST_STAGING);
    const before = await storedSpans();
    const [a, b] = [call(), call()];
    const refused = call({ billingMode: 'unknown' });
    expect(await unnestWriter.write([copyRows([a!])])).toEqual({ inserted: 1, refused: [] });
    const result = await unnestWriter.write([copyRows([a!, refused, b!])]);
    expect(result.inserted).toBe(1);
    expect(result.refused).toEqual([{ row: 1, reason: expect.stringContaining('check constraint') }]);
    expect(await storedSpans()).toEqual([...before, a!.spanId, b!.spanId].sort());
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('adds nothing to the rollups when a whole batch is redelivered', async () => {
    const calls = [call(), call(), call()];
    expect(await writer.write([copyRows(calls)])).toEqual({ inserted: 3, refused: [] });
    expect(await writer.write([copyRows(calls)])).toEqual({ inserted: 0, refused: [] });
    expect(await rollupMismatches(database.url)).toEqual([]);
  });

  it('stages by COPY on PostgreSQL', async () => {
    expect(await rowStagingFor(pool)).toBe(COPY_STAGING);
  });
});

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField, copyLine, copyRows } from './copy-text';
import { LLM_CALL_COLUMNS, utcDayNumber, type LlmCall } from './llm-call';
import { testDatabaseUrl } from '@tokenmeter/test-support';

describe('copyField', () => {
  it('writes text, JSON, numbers, booleans and NULL the way COPY reads them back unchanged', async () => {
    const texts = ['plain', 'tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash', '\\N', '', 'ünïcødé ✓', ' spaced ', null];
    const json = JSON.stringify({ quote: 'a"b', escapes: 'line\nbreak\ttab\\', nested: [1, 2.5, true, null] });
    const rows: [string | null, number | null, boolean | null, string | null, number | null][] = texts.map((text, i) => [
      text,
      [0, -1.5, 1e-10, 123456789012, 1e-7, null][i % 6]!,
      [true, false, null][i % 3]!,
      i === 0 ? json : null,
      [0.0123456789, 1e-7, null][i % 3]!,
    ]);
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query('CREATE TEMP TABLE copied (i serial, t text, n float8, b bool, j jsonb, c numeric(20, 10))');
      const text = rows.map((row) => `${row.map(copyField).join('\t')}\n`).join('');
      await pipeline(Readable.from([text]), client.query(copyFrom('COPY copied (t, n, b, j, c) FROM STDIN')));
      const { rows: read } = await client.query('SELECT t, n, b, j, c::float8 AS c FROM copied ORDER BY i');
      expect(read.map((row) => [row.t, row.n, row.b, row.j, row.c])).toEqual(
        rows.map(([t, n, b, j, c]) => [t, n, b, j === null ? null : JSON.parse(j), c]),
      );
    } finally {
      await client.end();
    }
  });

  it('refuses numbers PostgreSQL cannot store', () => {
    expect(() => copyField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

const CALL: LlmCall = {
  ts: new Date(Date.UTC(2026, 10, 23, 23, 59, 59, 999)),
  durationMs: 812.5,
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  service: 'checkout-api',
  provider: 'openai',
  operation: 'chat',
  requestModel: 'gpt-4o-mini',
  responseModel: 'gpt-4o-mini-2024-07-18',
  promptName: 'summarise\tnotes',
  userId: null,
  billingMode: 'byok',
  plan: 'free',
  status: 'error',
  errorType: 'timeout',
  inputTokens: 1200,
  outputTokens: 300,
  cachedInputTokens: 400,
  reasoningTokens: 7,
  totalTokens: 1500,
  costUsd: 0.000123,
  pricingVersion: '2026-11-01',
  streaming: true,
  timeToFirstTokenMs: 250.25,
  outputTokensPerS: 42.5,
  cacheWriteInputTokens: 50,
  costSource: 'reported',
  reportedCostUsd: 0.00013,
  sessionId: 'conv\n7',
  promptVersion: 'v3',
  serviceTier: null,
  attributes: '{"server.address":"api.openai.com"}',
};

describe('copyLine', () => {
  it('writes every column of LLM_CALL_COLUMNS, in its order', () => {
    const unpriced: LlmCall = {
      ...CALL,
      responseModel: null,
      promptName: null,
      userId: 'tab\tnew\nline\\',
      costUsd: null,
      costSource: 'unpriced',
      unpricedReason: 'unknown model "x\ty"',
      pricingVersion: null,
      timeToFirstTokenMs: null,
      outputTokensPerS: null,
      reportedCostUsd: 0.25,
      streaming: false,
    };
    for (const call of [CALL, unpriced]) {
      const expected = LLM_CALL_COLUMNS.map((column) => copyField(column.value(call))).join('\t');
      expect(copyLine(call)).toBe(`${expected}\n`);
    }
    expect(copyLine(CALL).startsWith('2026-11-23T23:59:59.999Z\t812.5\t')).toBe(true);
  });

  it('collects one line per call and the UTC days the calls fall in', () => {
    const nextDay = { ...CALL, ts: new Date(CALL.ts.getTime() + 1) };
    const rows = copyRows([CALL, nextDay, CALL]);
    expect(rows.count).toBe(3);
    const lines = rows.text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((line) => `${line}\n`)).toEqual([copyLine(CALL), copyLine(nextDay), copyLine(CALL)]);
    expect(lines[1]!.startsWith('2026-11-24T00:00:00.000Z\t')).toBe(true);
    expect([...rows.days]).toEqual([utcDayNumber(CALL.ts.getTime()), utcDayNumber(nextDay.ts.getTime())]);
  });
});

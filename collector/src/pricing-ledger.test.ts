import { gzipSync } from 'node:zlib';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PricingCatalog, type ModelPrice } from '@tokenmeter/conventions';
import { startSink, type RunningSink } from './sink';
import { copyRows } from './ledger/copy-text';
import { LedgerWriter } from './ledger/ledger-writer';
import { testCall } from './test-support/llm-calls';
import {
  createTestDatabase,
  testPool,
  withClient,
  type TestDatabase,
} from '@tokenmeter/test-support';
import { traceRequestJson, traceRequestProtobuf, type CallSpec } from './test-support/genai-spans';

// Exact costs in the ledger (numeric, compared as text) for real model names of several providers.
// Every expected figure is worked out by hand from the providers' published prices per million
// tokens (the figures the pinned genai-prices 0.1.8 data carries), written next to it.

const DAY_MS = 24 * 60 * 60 * 1000;
const todayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const today = new Date(todayStart).toISOString().slice(0, 10);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('pricing');
});

afterAll(async () => {
  await database?.drop();
});

function pricingFile(version: string, entries: ModelPrice[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tm-pricing-')), 'prices.json');
  writeFileSync(path, JSON.stringify({ version, entries }));
  return path;
}

async function withSink<T>(
  catalog: PricingCatalog,
  run: (sink: RunningSink) => Promise<T>,
): Promise<T> {
  const sink = await startSink({
    databaseUrl: database.url,
    port: 0,
    catalog,
    log: () => undefined,
  });
  try {
    return await run(sink);
  } finally {
    await sink.close();
  }
}

async function post(sink: RunningSink, specs: CallSpec[]): Promise<void> {
  const response = await fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
    body: gzipSync(traceRequestProtobuf(traceRequestJson(specs))),
  });
  expect(response.status).toBe(200);
}

const query = <T extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> =>
  withClient(database.url, async (client) => (await client.query<T>(sql, params)).rows);

async function costsOf(
  service: string,
): Promise<Record<string, { cost: string | null; version: string | null; reason: string | null }>> {
  const rows = await query<{
    user_id: string;
    cost: string | null;
    version: string | null;
    reason: string | null;
  }>(
    `SELECT user_id, cost_usd::text AS cost, pricing_version AS version, unpriced_reason AS reason
     FROM tokenmeter.llm_calls WHERE service = $1`,
    [service],
  );
  return Object.fromEntries(rows.map(({ user_id, ...rest }) => [user_id, rest]));
}

describe('ledger costs', () => {
  it('are exact per token type, long-context tier and provider, on real model names', async () => {
    const at = Date.now() - 60_000;
    const call = (userId: string, spec: CallSpec): CallSpec => ({
      service: 'svc-exact',
      startMs: at,
      userId,
      ...spec,
    });
    await withSink(PricingCatalog.load(), (sink) =>
      post(sink, [
        // 6 000 × 0.15 + 4 000 × 0.075 + 2 000 × 0.60 = 2 400 µUSD
        call('openai-snapshot', {
          provider: 'openai',
          requestModel: 'gpt-4o-mini',
          responseModel: 'gpt-4o-mini-2024-07-18',
          inputTokens: 10_000,
          cachedInputTokens: 4_000,
          outputTokens: 2_000,
        }),
        // reasoning at the output price: 1 000 × 2 + 2 000 × 8 = 18 000 µUSD
        call('openai-reasoning', {
          provider: 'openai',
          requestModel: 'o3',
          responseModel: 'o3-2025-04-16',
          inputTokens: 1_000,
          outputTokens: 2_000,
          reasoningTokens: 1_500,
        }),
        // 70 000 × 3 + 30 000 × 0.30 + 5 000 × 15 = 294 000 µUSD
        call('anthropic', {
          provider: 'anthropic',
          requestModel: 'claude-sonnet-4-5',
          responseModel: 'claude-sonnet-4-5-20250929',
          inputTokens: 100_000,
          cachedInputTokens: 30_000,
          outputTokens: 5_000,
        }),
        // above 200k prompt tokens the whole call is at the long-context price: 250 000 × 2.50 + 1 000 × 15
        call('google-long', {
          provider: 'gcp.gemini',
          requestModel: 'gemini-2.5-pro',
          inputTokens: 250_000,
          outputTokens: 1_000,
        }),
        // 100 000 × 1.25 + 1 000 × 10 = 135 000 µUSD
        call('google-short', {
          provider: 'gcp.vertex_ai',
          requestModel: 'gemini-2.5-pro',
          inputTokens: 100_000,
          outputTokens: 1_000,
        }),
        // provider-prefixed name: 1 000 × 0.30 + 1 000 × 2.50 = 2 800 µUSD
        call('google-prefixed', {
          provider: 'gcp.gemini',
          requestModel: 'models/gemini-2.5-flash',
          inputTokens: 1_000,
          outputTokens: 1_000,
        }),
        // 1 000 × 2 + 1 000 × 6 = 8 000 µUSD
        call('mistral', {
          provider: 'mistral_ai',
          requestModel: 'mistral-large-2411',
          inputTokens: 1_000,
          outputTokens: 1_000,
        }),
        // OpenRouter id: 1 000 × 2.50 + 1 000 × 10 = 12 500 µUSD
        call('openrouter', {
          provider: 'openrouter',
          requestModel: 'openai/gpt-4o',
          inputTokens: 1_000,
          outputTokens: 1_000,
        }),
        // embeddings: 1 000 000 × 0.02
        call('embeddings', {
          provider: 'openai',
          operation: 'embeddings',
          requestModel: 'text-embedding-3-small',
          inputTokens: 1_000_000,
          outputTokens: 0,
        }),
        call('unknown', {
          provider: 'openai',
          requestModel: 'gpt-unknown-9',
          responseModel: 'gpt-unknown-9',
          inputTokens: 1_000,
          outputTokens: 1_000,
        }),
      ]),
    );
    const version = 'genai-prices@0.1.8';
    expect(await costsOf('svc-exact')).toEqual({
      'openai-snapshot': { cost: '0.0024000000', version, reason: null },
      'openai-reasoning': { cost: '0.0180000000', version, reason: null },
      anthropic: { cost: '0.2940000000', version, reason: null },
      'google-long': { cost: '0.6400000000', version, reason: null },
      'google-short': { cost: '0.1350000000', version, reason: null },
      'google-prefixed': { cost: '0.0028000000', version, reason: null },
      mistral: { cost: '0.0080000000', version, reason: null },
      openrouter: { cost: '0.0125000000', version, reason: null },
      embeddings: { cost: '0.0200000000', version, reason: null },
      unknown: {
        cost: null,
        version: null,
        reason: `unknown model: no price for openai model gpt-unknown-9 in pricing ${version}`,
      },
    });
    const listed = await query<{
      provider: string;
      model: string;
      effective_from: string;
      tiers: unknown;
    }>(
      `SELECT provider, model, effective_from::text, tiers FROM tokenmeter.model_prices
       WHERE first_used_at IS NOT NULL AND model IN ('gemini-2.5-pro', 'o3') ORDER BY provider, model`,
    );
    expect(listed).toEqual([
      // one row for the calls through gcp.gemini and gcp.vertex_ai: the catalog's google price
      {
        provider: 'google',
        model: 'gemini-2.5-pro',
        effective_from: '-infinity',
        tiers: [
          {
            aboveInputTokens: 200000,
            inputPerMTok: 2.5,
            cachedInputPerMTok: 0.25,
            outputPerMTok: 15,
          },
        ],
      },
      { provider: 'openai', model: 'o3', effective_from: '2025-06-10', tiers: null },
    ]);
  });

  it('keep the exact cost of cache writes (5 min and 1 h) in numeric', async () => {
    // The span contract has no cache-write counts yet, so the cost is priced here and written
    // through the sink's own writer. Anthropic claude-opus-4-1 (15 input, 1.50 cache read, 18.75
    // cache write 5 min, 30 cache write 1 h, 75 output): 1 234 uncached × 15 + 10 000 × 1.50
    // + 7 777 × 18.75 + 3 333 × 30 + 4 321 × 75 = 18 510 + 15 000 + 145 818.75 + 99 990 + 324 075
    // = 603 393.75 µUSD
    const catalog = PricingCatalog.load();
    const at = new Date(Date.now() - 60_000);
    const usage = {
      inputTokens: 1_234 + 10_000 + 7_777 + 3_333,
      cachedInputTokens: 10_000,
      cacheWriteInputTokens: 7_777 + 3_333,
      cacheWrite1hInputTokens: 3_333,
      outputTokens: 4_321,
    };
    const priced = catalog.price('anthropic', 'claude-opus-4-1-20250805', usage, at)!;
    const pool = testPool(database.url);
    try {
      await new LedgerWriter(pool).write([
        copyRows([
          testCall({
            ts: at,
            service: 'svc-cache-writes',
            spanId: 'c0ffee00c0ffee00',
            provider: 'anthropic',
            requestModel: 'claude-opus-4-1-20250805',
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            cachedInputTokens: usage.cachedInputTokens,
            totalTokens: usage.inputTokens + usage.outputTokens,
            costUsd: priced.costUsd,
            pricingVersion: priced.pricingVersion,
          }),
        ]),
      ]);
      const { rows } = await pool.query<{ cost: string }>(
        `SELECT cost_usd::text AS cost FROM tokenmeter.llm_calls WHERE service = 'svc-cache-writes'`,
      );
      expect(rows).toEqual([{ cost: '0.6033937500' }]);
    } finally {
      await pool.end();
    }
  });

  it('take an override over the base price from its effective day on, and never rewrite past costs (docs/features.md A2)', async () => {
    const million = {
      provider: 'openai',
      requestModel: 'gpt-4o',
      inputTokens: 1_000_000,
      outputTokens: 0,
    };
    const yesterday = todayStart - DAY_MS / 2;
    // Before any override: 1 000 000 × 2.50
    await withSink(PricingCatalog.load(), (sink) =>
      post(sink, [
        { ...million, service: 'svc-change', userId: 'before-change', startMs: yesterday },
      ]),
    );
    // The operator's contract price of 2.00 takes effect today; the sink restarts with it.
    const file = pricingFile('contract-2026', [
      {
        provider: 'openai',
        model: 'gpt-4o',
        effectiveFrom: today,
        inputPerMTok: 2,
        outputPerMTok: 8,
        cachedInputPerMTok: 1,
        source: 'contract 2026',
      },
    ]);
    const overridden = PricingCatalog.fromEnv({ TOKENMETER_PRICING_FILE: file });
    await withSink(overridden, (sink) =>
      post(sink, [
        {
          ...million,
          service: 'svc-change',
          userId: 'late-span-of-yesterday',
          startMs: yesterday + 1,
        },
        { ...million, service: 'svc-change', userId: 'after-change', startMs: Date.now() - 1_000 },
      ]),
    );
    expect(await costsOf('svc-change')).toEqual({
      'before-change': { cost: '2.5000000000', version: 'genai-prices@0.1.8', reason: null },
      'late-span-of-yesterday': {
        cost: '2.5000000000',
        version: 'genai-prices@0.1.8+contract-2026',
        reason: null,
      },
      'after-change': {
        cost: '2.0000000000',
        version: 'genai-prices@0.1.8+contract-2026',
        reason: null,
      },
    });
    const listed = await query<{
      price_source: string;
      effective_from: string;
      source: string;
      catalog_version: string;
    }>(
      `SELECT price_source, effective_from::text, source, catalog_version FROM tokenmeter.model_prices
       WHERE provider = 'openai' AND model = 'gpt-4o' ORDER BY effective_from`,
    );
    expect(listed).toEqual([
      {
        price_source: 'catalog',
        effective_from: '-infinity',
        source: expect.stringContaining('genai-prices@0.1.8 openai/gpt-4o'),
        catalog_version: 'genai-prices@0.1.8',
      },
      {
        price_source: 'override',
        effective_from: today,
        source: 'contract 2026',
        catalog_version: 'genai-prices@0.1.8+contract-2026',
      },
    ]);
  });
});

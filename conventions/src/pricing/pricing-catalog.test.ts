import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { houseModelPrice, writePricingFile } from '../../test/pricing-fixtures';
import {
  BASE_CATALOG_VERSION,
  PricingCatalog,
  PRICING_FILE_ENV,
  type EffectivePrice,
} from './index';

// Expected costs are worked out by hand from the providers' published prices (USD per million
// tokens), which the pinned genai-prices 0.1.8 data carries; the figures are in the comments.
const catalog = PricingCatalog.load();
const day = (iso: string): Date => new Date(`${iso}T12:00:00Z`);
const today = day('2026-11-01');

describe('base catalog (genai-prices)', () => {
  it('is the pinned package version', () => {
    expect(BASE_CATALOG_VERSION).toBe('genai-prices@0.1.8');
    expect(catalog.version).toBe('genai-prices@0.1.8');
  });

  it.each([
    // provider, model, catalog model it resolves to
    ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['openai', 'gpt-5-chat-latest', 'gpt-5'],
    ['openai', 'openai/gpt-4o', 'gpt-4o'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['gcp.gemini', 'models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gcp.vertex_ai', 'gemini-2.5-pro', 'gemini-2.5-pro'],
    ['mistral_ai', 'mistral-large-2411', 'mistral-large'],
    ['openrouter', 'openai/gpt-4o', 'openai/gpt-4o'],
    [
      'aws.bedrock',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'regional.anthropic.claude-3-5-sonnet-20240620-v1:0',
    ],
    ['openai', 'text-embedding-3-small', 'text-embedding-3-small'],
  ])('prices %s %s as %s', (provider, model, expected) => {
    expect(catalog.find(provider, model, today)).toMatchObject({
      model: expected,
      source: 'catalog',
    });
  });

  it('returns undefined for an unknown model or provider, never a zero price', () => {
    const usage = { inputTokens: 10, outputTokens: 5 };
    expect(catalog.price('openai', 'gpt-unknown-9', usage, today)).toBeUndefined();
    expect(catalog.price('acme', 'gpt-4o', usage, today)).toBeUndefined();
    expect(catalog.unpricedReason('openai', ['gpt-unknown-9'], today)).toBe(
      'unknown model: no price for openai model gpt-unknown-9 in pricing genai-prices@0.1.8',
    );
  });
});

describe('every token type', () => {
  it('prices uncached input, cache reads and output (OpenAI gpt-4o-mini-2024-07-18)', () => {
    // 6 000 × 0.15 + 4 000 × 0.075 + 2 000 × 0.60 = 2 400 per million
    const priced = catalog.price(
      'openai',
      'gpt-4o-mini-2024-07-18',
      { inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 2_000 },
      today,
    );
    expect(priced).toMatchObject({
      costUsd: 0.0024,
      pricingVersion: 'genai-prices@0.1.8',
      source: 'catalog',
    });
    expect(priced?.price).toMatchObject({
      inputPerMTok: 0.15,
      cachedInputPerMTok: 0.075,
      outputPerMTok: 0.6,
    });
  });

  it('prices 5 min and 1 h cache writes apart (Anthropic claude-sonnet-4-5)', () => {
    // uncached 50 000 × 3 + reads 20 000 × 0.30 + 5 min writes 20 000 × 3.75 + 1 h writes 10 000 × 6
    // + output 5 000 × 15 = 150 000 + 6 000 + 75 000 + 60 000 + 75 000 = 366 000 per million
    const usage = {
      inputTokens: 100_000,
      cachedInputTokens: 20_000,
      cacheWriteInputTokens: 30_000,
      cacheWrite1hInputTokens: 10_000,
      outputTokens: 5_000,
    };
    expect(catalog.price('anthropic', 'claude-sonnet-4-5-20250929', usage, today)?.costUsd).toBe(
      0.366,
    );
  });

  it('prices the whole call at the long-context tier above 200k prompt tokens (Google gemini-2.5-pro)', () => {
    // 100 000 × 1.25 + 1 000 × 10 = 135 000; above 200k: 250 000 × 2.50 + 1 000 × 15 = 640 000
    expect(
      catalog.price(
        'gcp.gemini',
        'gemini-2.5-pro',
        { inputTokens: 100_000, outputTokens: 1_000 },
        today,
      )?.costUsd,
    ).toBe(0.135);
    expect(
      catalog.price(
        'gcp.gemini',
        'gemini-2.5-pro',
        { inputTokens: 250_000, outputTokens: 1_000 },
        today,
      )?.costUsd,
    ).toBe(0.64);
    expect(catalog.find('gcp.gemini', 'gemini-2.5-pro', today)?.tiers).toEqual([
      { aboveInputTokens: 200_000, inputPerMTok: 2.5, cachedInputPerMTok: 0.25, outputPerMTok: 15 },
    ]);
  });

  it('prices reasoning tokens as output where the catalog has no reasoning price (OpenAI o3)', () => {
    // 1 000 × 2 + 2 000 × 8 = 18 000 per million
    expect(
      catalog.price(
        'openai',
        'o3',
        { inputTokens: 1_000, outputTokens: 2_000, reasoningTokens: 1_500 },
        today,
      )?.costUsd,
    ).toBe(0.018);
  });

  it('prices Mistral, OpenRouter ids, provider-prefixed names and embeddings', () => {
    const thousandEach = { inputTokens: 1_000, outputTokens: 1_000 };
    // 1 000 × 2 + 1 000 × 6
    expect(catalog.price('mistral_ai', 'mistral-large-2411', thousandEach, today)?.costUsd).toBe(
      0.008,
    );
    // 1 000 × 2.50 + 1 000 × 10
    expect(catalog.price('openrouter', 'openai/gpt-4o', thousandEach, today)?.costUsd).toBe(0.0125);
    expect(catalog.price('openai', 'openai/gpt-4o', thousandEach, today)?.costUsd).toBe(0.0125);
    // 1 000 × 0.30 + 1 000 × 2.50
    expect(
      catalog.price('gcp.gemini', 'models/gemini-2.5-flash', thousandEach, today)?.costUsd,
    ).toBe(0.0028);
    // 1 000 000 × 0.02
    expect(
      catalog.price(
        'openai',
        'text-embedding-3-small',
        { inputTokens: 1_000_000, outputTokens: 0 },
        today,
      )?.costUsd,
    ).toBe(0.02);
  });

  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, /inputTokens must be a finite number >= 0/],
    [{ inputTokens: 0, outputTokens: Number.NaN }, /outputTokens must be a finite number >= 0/],
    [
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 11 },
      /cachedInputTokens \(11\) exceed inputTokens \(10\)/,
    ],
    [
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 5, cacheWriteInputTokens: 6 },
      /cachedInputTokens \+ cacheWriteInputTokens \(11\) exceed inputTokens \(10\)/,
    ],
    [
      { inputTokens: 10, outputTokens: 0, cacheWriteInputTokens: 2, cacheWrite1hInputTokens: 3 },
      /cacheWrite1hInputTokens \(3\) exceed cacheWriteInputTokens \(2\)/,
    ],
    [
      { inputTokens: 10, outputTokens: 5, reasoningTokens: 6 },
      /reasoningTokens \(6\) exceed outputTokens \(5\)/,
    ],
  ])('rejects inconsistent usage %j with a clear error', (usage, message) => {
    expect(() => catalog.price('openai', 'gpt-4o', usage, today)).toThrow(message);
  });
});

describe('service tiers', () => {
  const million = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
  it('prices batch and flex at half the standard price, and default/auto as standard', () => {
    // gpt-4o-mini: 0.15 + 0.60 = 0.75 standard
    expect(
      catalog.price('openai', 'gpt-4o-mini', million, today, { serviceTier: 'default' })?.costUsd,
    ).toBe(0.75);
    expect(
      catalog.price('openai', 'gpt-4o-mini', million, today, { serviceTier: 'flex' })?.costUsd,
    ).toBe(0.375);
    expect(
      catalog.price('openai', 'gpt-4o-mini', million, today, { serviceTier: 'batch' }),
    ).toMatchObject({
      costUsd: 0.375,
      price: { serviceTier: 'batch', inputPerMTok: 0.075, outputPerMTok: 0.3 },
    });
  });

  it('leaves priority unpriced, with the reason, unless an override prices that tier', () => {
    expect(
      catalog.price('openai', 'gpt-4o-mini', million, today, { serviceTier: 'priority' }),
    ).toBeUndefined();
    expect(
      catalog.unpricedReason('openai', ['gpt-4o-mini'], today, { serviceTier: 'priority' }),
    ).toMatch(/^service tier priority has no price for openai model gpt-4o-mini/);
    const priority = catalog.withOverrides([
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        effectiveFrom: '2025-01-01',
        serviceTier: 'priority',
        inputPerMTok: 0.25,
        outputPerMTok: 1,
        cachedInputPerMTok: 0.125,
        source: 'https://openai.com/api/pricing/ (priority)',
      },
    ]);
    expect(
      priority.price('openai', 'gpt-4o-mini', million, today, { serviceTier: 'priority' }),
    ).toMatchObject({ costUsd: 1.25, source: 'override' });
    // the standard tier stays the catalog's
    expect(priority.price('openai', 'gpt-4o-mini', million, today)).toMatchObject({
      costUsd: 0.75,
      source: 'catalog',
    });
  });
});

describe('effective dates', () => {
  const usage = { inputTokens: 1_000, outputTokens: 2_000, reasoningTokens: 1_500 };
  it('prices each call at the catalog price in force at its moment (o3: 10/40 until 2025-06-10, then 2/8)', () => {
    const lastMsBeforeDrop = Date.parse('2025-06-10T00:00:00Z') - 1;
    // 1 000 × 10 + 2 000 × 40 = 90 000; after: 1 000 × 2 + 2 000 × 8 = 18 000
    expect(catalog.price('openai', 'o3', usage, lastMsBeforeDrop)?.costUsd).toBe(0.09);
    expect(catalog.price('openai', 'o3', usage, lastMsBeforeDrop + 1)).toMatchObject({
      costUsd: 0.018,
      price: { effectiveFrom: '2025-06-10' },
    });
  });

  it('applies an override from its effective day only: calls before it keep the base price', () => {
    const million = { inputTokens: 1_000_000, outputTokens: 0 };
    const raised = catalog.withOverrides([
      {
        provider: 'openai',
        model: 'gpt-4.1',
        effectiveFrom: '2026-12-01',
        inputPerMTok: 3,
        outputPerMTok: 8,
        cachedInputPerMTok: 0.5,
        source: 'new contract',
      },
    ]);
    expect(raised.price('openai', 'gpt-4.1', million, day('2026-11-30'))).toMatchObject({
      costUsd: 2,
      source: 'catalog',
    });
    expect(raised.price('openai', 'gpt-4.1-2025-04-14', million, day('2026-12-01'))).toMatchObject({
      costUsd: 3,
      source: 'override',
    });
  });
});

describe('overrides', () => {
  it('win over the base price and add new models, leaving the original catalog untouched', () => {
    const cheaper = {
      provider: 'openai',
      model: 'gpt-4o',
      effectiveFrom: '2024-01-01',
      inputPerMTok: 1,
      outputPerMTok: 10,
      cachedInputPerMTok: 0.5,
      source: 'negotiated contract',
    };
    const custom = catalog.withOverrides([cheaper, houseModelPrice]);
    const price = custom.find('openai', 'gpt-4o-2024-11-20', today);
    expect(price).toMatchObject<Partial<EffectivePrice>>({
      inputPerMTok: 1,
      source: 'override',
      reference: 'negotiated contract',
      effectiveFrom: '2024-01-01',
    });
    expect(custom.find('openai', 'house-model', today)).toMatchObject({ outputPerMTok: 2 });
    expect(custom.version).toMatch(/^genai-prices@0\.1\.8\+override\.[0-9a-f]{8}$/);
    expect(catalog.find('openai', 'gpt-4o', today)).toMatchObject({
      inputPerMTok: 2.5,
      source: 'catalog',
    });
    expect(catalog.find('openai', 'house-model', today)).toBeUndefined();
  });

  it('prices cache writes and reasoning at their own override prices, defaulting as documented', () => {
    const withWrites = catalog.withOverrides([
      { ...houseModelPrice, cacheWritePerMTok: 1.25, cacheWrite1hPerMTok: 2 },
    ]);
    const usage = {
      inputTokens: 100,
      cachedInputTokens: 20,
      cacheWriteInputTokens: 30,
      cacheWrite1hInputTokens: 10,
      outputTokens: 100,
      reasoningTokens: 40,
    };
    // 50 × 1 + 20 × 0.5 + 20 × 1.25 + 10 × 2 + 60 × 2 + 40 × 4 = 385 per million
    expect(withWrites.price('openai', 'house-model', usage, today)?.costUsd).toBe(0.000385);
    // no cache-write or reasoning prices: writes at input (1), reasoning at output (2):
    // 50 × 1 + 20 × 0.5 + 30 × 1 + 100 × 2 = 290 per million
    const plain = catalog.withOverrides([{ ...houseModelPrice, reasoningPerMTok: undefined }]);
    expect(plain.price('openai', 'house-model', usage, today)?.costUsd).toBe(0.00029);
  });

  it('reads overrides from the file named in TOKENMETER_PRICING_FILE', () => {
    const path = writePricingFile({ version: 'acme-2026-10', entries: [houseModelPrice] });
    const fromEnv = PricingCatalog.fromEnv({ [PRICING_FILE_ENV]: path });
    expect(fromEnv.version).toBe('genai-prices@0.1.8+acme-2026-10');
    expect(
      fromEnv.price('openai', 'house-model', { inputTokens: 1_000_000, outputTokens: 0 }, today)
        ?.costUsd,
    ).toBe(1);
    expect(fromEnv.find('openai', 'gpt-4o', today)).toMatchObject({ inputPerMTok: 2.5 });
    expect(PricingCatalog.fromEnv({}).version).toBe('genai-prices@0.1.8');
  });

  it('accepts a bare array of entries as a pricing file', () => {
    const fromFile = PricingCatalog.fromFile(writePricingFile([houseModelPrice]));
    expect(fromFile.entries()).toEqual([houseModelPrice]);
    expect(fromFile.version).toMatch(/^file\.[0-9a-f]{8}$/);
  });

  it.each([
    ['a missing file', undefined, /Cannot read pricing file .*does-not-exist\.json: ENOENT/],
    ['malformed JSON', '{"entries": [', /Cannot read pricing file .*prices\.json: .*JSON/],
    [
      'a negative price',
      [{ ...houseModelPrice, inputPerMTok: -1 }],
      /Invalid pricing catalog .*prices\.json: 0\.inputPerMTok: .*>=0/,
    ],
    [
      'an impossible day',
      { entries: [{ ...houseModelPrice, effectiveFrom: '2025-02-30' }] },
      /entries\.0\.effectiveFrom: is not a real calendar day/,
    ],
    ['a missing source', [{ ...houseModelPrice, source: undefined }], /0\.source: /],
    ['an unknown field', [{ ...houseModelPrice, inputPrice: 3 }], /Unrecognized key.*inputPrice/],
  ])('rejects %s with an error naming the file and field', (_case, content, message) => {
    const path =
      content === undefined ? join(tmpdir(), 'does-not-exist.json') : writePricingFile(content);
    expect(() => PricingCatalog.fromEnv({ [PRICING_FILE_ENV]: path })).toThrow(message);
  });

  it('rejects invalid overrides given in code', () => {
    expect(() =>
      catalog.withOverrides([{ ...houseModelPrice, outputPerMTok: Number.POSITIVE_INFINITY }]),
    ).toThrow(/0\.outputPerMTok/);
  });
});

describe('first use of a price', () => {
  it("is announced once per price and tier, under the price list's provider name", () => {
    const fresh = PricingCatalog.load();
    const seen: EffectivePrice[] = [];
    fresh.onFirstUse((price) => seen.push(price));
    const usage = { inputTokens: 10, outputTokens: 5 };
    fresh.price('openai', 'gpt-4o-mini', usage, today);
    fresh.price('openai', 'gpt-4o-mini-2024-07-18', usage, today);
    fresh.price('openai', 'gpt-4o-mini', usage, today, { serviceTier: 'flex' });
    fresh.price('openai', 'o3', usage, day('2025-01-01'));
    fresh.price('openai', 'o3', usage, today);
    fresh.price('gcp.gemini', 'gemini-2.5-pro', usage, today);
    fresh.price('gcp.vertex_ai', 'gemini-2.5-pro', usage, today);
    fresh.price('GCP.Gemini', 'gemini-2.5-pro', usage, today);
    expect(seen.map((p) => [p.provider, p.model, p.serviceTier, p.effectiveFrom])).toEqual([
      ['openai', 'gpt-4o-mini', 'standard', null],
      ['openai', 'gpt-4o-mini', 'flex', null],
      ['openai', 'o3', 'standard', null],
      ['openai', 'o3', 'standard', '2025-06-10'],
      ['google', 'gemini-2.5-pro', 'standard', null],
    ]);
  });
});

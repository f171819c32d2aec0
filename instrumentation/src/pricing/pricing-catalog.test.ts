import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { houseModelPrice, writePricingFile } from '../../test/support/pricing-fixtures';
import { PricingCatalog, PRICING_FILE_ENV } from './index';

const catalog = PricingCatalog.load();
const day = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

describe('bundled catalog', () => {
  it('has a version and a source, effective day and valid prices on every entry', () => {
    expect(catalog.version).toBe('2026-11-23');
    for (const entry of catalog.entries()) {
      expect(entry.source.length).toBeGreaterThan(0);
      expect(entry.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(entry.inputPerMTok).toBeGreaterThanOrEqual(0);
      expect(entry.cachedInputPerMTok).toBeLessThanOrEqual(entry.inputPerMTok);
    }
  });

  it.each([
    ['openai', 'gpt-5'],
    ['openai', 'gpt-5-mini'],
    ['openai', 'gpt-5-nano'],
    ['openai', 'gpt-4.1'],
    ['openai', 'gpt-4.1-mini'],
    ['openai', 'gpt-4.1-nano'],
    ['openai', 'gpt-4o'],
    ['openai', 'gpt-4o-mini'],
    ['openai', 'o3'],
    ['openai', 'o4-mini'],
    ['openai', 'text-embedding-3-small'],
    ['openai', 'text-embedding-3-large'],
    ['anthropic', 'claude-opus-4-1'],
    ['anthropic', 'claude-opus-4-5'],
    ['anthropic', 'claude-sonnet-4-5'],
    ['anthropic', 'claude-haiku-4-5'],
    ['anthropic', 'claude-3-5-haiku'],
    ['gcp.gemini', 'gemini-2.5-pro'],
    ['gcp.gemini', 'gemini-2.5-flash'],
    ['gcp.gemini', 'gemini-2.5-flash-lite'],
    ['mistral_ai', 'mistral-large'],
    ['mistral_ai', 'mistral-medium'],
    ['mistral_ai', 'mistral-small'],
    ['mistral_ai', 'codestral'],
    ['meta', 'llama-3.3-70b-instruct'],
    ['meta', 'llama-4-maverick-17b-128e-instruct'],
    ['meta', 'llama-4-scout-17b-16e-instruct'],
  ])('prices %s %s today', (provider, model) => {
    expect(catalog.find(provider, model, day('2026-11-23'))).toBeDefined();
  });
});

describe('model name resolution', () => {
  it.each([
    ['openai', 'gpt-4o-2024-08-06', 'gpt-4o'],
    ['openai', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
    ['openai', 'gpt-5-chat-latest', 'gpt-5'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['anthropic', 'claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['anthropic', 'claude-opus-4-0', 'claude-opus-4'],
    ['gcp.gemini', 'models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['gcp.vertex_ai', 'gemini-2.5-pro', 'gemini-2.5-pro'],
    ['mistral_ai', 'codestral-2508', 'codestral'],
    ['mistral_ai', 'mistral-small-latest', 'mistral-small'],
    ['meta', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'llama-3.3-70b-instruct'],
    [
      'meta',
      'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8',
      'llama-4-maverick-17b-128e-instruct',
    ],
  ])('%s %s resolves to %s', (provider, model, expected) => {
    expect(catalog.find(provider, model, day('2026-11-23'))?.model).toBe(expected);
  });

  it('prefers an exact snapshot entry over its family alias', () => {
    expect(catalog.find('openai', 'gpt-4o-2024-05-13', day('2026-01-01'))).toMatchObject({
      inputPerMTok: 5,
      outputPerMTok: 15,
    });
    expect(catalog.find('openai', 'gpt-4o', day('2026-01-01'))).toMatchObject({
      inputPerMTok: 2.5,
      outputPerMTok: 10,
    });
    expect(catalog.find('mistral_ai', 'mistral-large-2411', day('2026-01-01'))).toMatchObject({
      inputPerMTok: 2,
      outputPerMTok: 6,
    });
    expect(catalog.find('mistral_ai', 'mistral-large-latest', day('2026-01-01'))).toMatchObject({
      inputPerMTok: 0.5,
      outputPerMTok: 1.5,
    });
  });

  it('returns undefined for an unknown model or provider, never a zero price', () => {
    expect(catalog.find('openai', 'gpt-unknown-9', day('2026-01-01'))).toBeUndefined();
    expect(
      catalog.price(
        'openai',
        'gpt-unknown-9',
        { inputTokens: 10, outputTokens: 5 },
        day('2026-01-01'),
      ),
    ).toBeUndefined();
    expect(
      catalog.price('acme', 'gpt-4o', { inputTokens: 10, outputTokens: 5 }, day('2026-01-01')),
    ).toBeUndefined();
    // other model families that share a prefix stay unpriced
    expect(catalog.find('openai', 'gpt-4o-audio-preview', day('2026-01-01'))).toBeUndefined();
  });
});

describe('effective dates', () => {
  const usage = { inputTokens: 1000, outputTokens: 2000, reasoningTokens: 1500 };

  it('prices each call at the price in force on the day of the call', () => {
    // o3 launched at 10/40 USD and dropped to 2/8 USD on 2025-06-10
    expect(catalog.price('openai', 'o3', usage, day('2025-06-09'))?.costUsd).toBe(0.09);
    expect(catalog.price('openai', 'o3', usage, new Date('2025-06-10T00:00:00Z'))?.costUsd).toBe(
      0.018,
    );
  });

  it('never reprices the past when a new price is added', () => {
    const before = catalog.price(
      'openai',
      'gpt-4.1',
      { inputTokens: 1_000_000, outputTokens: 0 },
      day('2025-05-01'),
    );
    const raised = catalog.withOverrides([
      {
        ...catalog.find('openai', 'gpt-4.1', day('2025-05-01'))!,
        effectiveFrom: '2026-12-01',
        inputPerMTok: 3,
      },
    ]);
    expect(
      raised.price(
        'openai',
        'gpt-4.1',
        { inputTokens: 1_000_000, outputTokens: 0 },
        day('2025-05-01'),
      )?.costUsd,
    ).toBe(before?.costUsd);
    expect(before?.costUsd).toBe(2);
    expect(
      raised.price(
        'openai',
        'gpt-4.1',
        { inputTokens: 1_000_000, outputTokens: 0 },
        day('2026-12-02'),
      )?.costUsd,
    ).toBe(3);
  });

  it('takes the moment as epoch milliseconds as well as a Date', () => {
    const lastMsBeforeDrop = Date.parse('2025-06-10T00:00:00Z') - 1;
    expect(catalog.price('openai', 'o3', usage, lastMsBeforeDrop)?.costUsd).toBe(0.09);
    expect(catalog.price('openai', 'o3', usage, lastMsBeforeDrop + 1)?.costUsd).toBe(0.018);
  });

  it('has no price before the first effective day of a model', () => {
    expect(catalog.find('openai', 'gpt-5', day('2025-08-06'))).toBeUndefined();
  });
});

describe('cost', () => {
  it('prices cached input at the cached price and the rest at the input price', () => {
    const priced = catalog.price(
      'openai',
      'gpt-4o',
      { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 500 },
      day('2025-01-01'),
    );
    // 600 × 2.50 + 400 × 1.25 + 500 × 10.00 per million
    expect(priced).toEqual({
      costUsd: 0.007,
      pricingVersion: '2026-11-23',
      price: catalog.find('openai', 'gpt-4o', day('2025-01-01')),
    });
  });

  it('prices reasoning tokens at the reasoning price, defaulting to the output price', () => {
    const custom = catalog.withOverrides([houseModelPrice]);
    const usage = {
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 100,
      reasoningTokens: 40,
    };
    // 80 × 1 + 20 × 0.5 + 60 × 2 + 40 × 4 = 370 per million
    expect(custom.price('openai', 'house-model', usage, day('2025-06-01'))?.costUsd).toBe(0.00037);
    const withoutReasoningPrice = catalog.withOverrides([
      { ...houseModelPrice, reasoningPerMTok: undefined },
    ]);
    // 80 × 1 + 20 × 0.5 + 100 × 2 = 290 per million
    expect(
      withoutReasoningPrice.price('openai', 'house-model', usage, day('2025-06-01'))?.costUsd,
    ).toBe(0.00029);
  });

  it('treats missing cached and reasoning counts as zero', () => {
    expect(
      catalog.price(
        'anthropic',
        'claude-sonnet-4-5',
        { inputTokens: 2000, outputTokens: 1000 },
        day('2026-01-01'),
      )?.costUsd,
    ).toBe(0.021);
  });

  it.each([
    [{ inputTokens: -1, outputTokens: 0 }, /inputTokens must be a finite number >= 0/],
    [{ inputTokens: 0, outputTokens: Number.NaN }, /outputTokens must be a finite number >= 0/],
    [
      { inputTokens: 10, outputTokens: 0, cachedInputTokens: 11 },
      /cachedInputTokens \(11\) exceed inputTokens \(10\)/,
    ],
    [
      { inputTokens: 10, outputTokens: 5, reasoningTokens: 6 },
      /reasoningTokens \(6\) exceed outputTokens \(5\)/,
    ],
  ])('rejects inconsistent usage %j with a clear error', (usage, message) => {
    expect(() => catalog.price('openai', 'gpt-4o', usage, day('2026-01-01'))).toThrow(message);
  });
});

describe('overrides', () => {
  it('replaces an entry of the same model and day and adds new models, leaving the original catalog untouched', () => {
    const cheaper = {
      ...catalog.find('openai', 'gpt-4o', day('2025-01-01'))!,
      inputPerMTok: 1,
      source: 'negotiated contract',
    };
    const custom = catalog.withOverrides([cheaper, houseModelPrice]);
    expect(custom.find('openai', 'gpt-4o-2024-11-20', day('2025-01-01'))).toMatchObject({
      inputPerMTok: 1,
      source: 'negotiated contract',
    });
    expect(custom.find('openai', 'house-model', day('2025-01-01'))).toMatchObject({
      outputPerMTok: 2,
    });
    expect(custom.entries()).toHaveLength(catalog.entries().length + 1);
    expect(custom.version).toMatch(/^2026-11-23\+override\.[0-9a-f]{8}$/);
    expect(catalog.find('openai', 'gpt-4o', day('2025-01-01'))).toMatchObject({
      inputPerMTok: 2.5,
    });
    expect(catalog.find('openai', 'house-model', day('2025-01-01'))).toBeUndefined();
  });

  it('reads overrides from the file named in TOKENMETER_PRICING_FILE', () => {
    const path = writePricingFile({ version: 'acme-2026-10', entries: [houseModelPrice] });
    const fromEnv = PricingCatalog.fromEnv({ [PRICING_FILE_ENV]: path });
    expect(fromEnv.version).toBe('2026-11-23+acme-2026-10');
    expect(
      fromEnv.price(
        'openai',
        'house-model',
        { inputTokens: 1_000_000, outputTokens: 0 },
        day('2025-02-01'),
      )?.costUsd,
    ).toBe(1);
    expect(fromEnv.find('openai', 'gpt-4o', day('2025-02-01'))).toMatchObject({
      inputPerMTok: 2.5,
    });
    expect(PricingCatalog.fromEnv({}).version).toBe('2026-11-23');
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

import { priceModelCall, PricingCatalog } from './index';

const catalog = PricingCatalog.load();
const at = new Date('2026-11-01T12:00:00Z');
const usage = { inputTokens: 1_000_000, outputTokens: 0 };

describe('priceModelCall', () => {
  it('prices by the answered model first, then by the requested one', () => {
    const custom = catalog.withOverrides([
      {
        provider: 'openai',
        model: 'gpt-4o-2024-05-13',
        effectiveFrom: '2024-05-13',
        inputPerMTok: 5,
        outputPerMTok: 15,
        cachedInputPerMTok: 5,
        source: 'launch price',
      },
    ]);
    expect(
      priceModelCall(custom, {
        provider: 'openai',
        requestModel: 'gpt-4o',
        responseModel: 'gpt-4o-2024-05-13',
        usage,
        at,
      }).priced?.costUsd,
    ).toBe(5);
    expect(
      priceModelCall(custom, { provider: 'openai', requestModel: 'gpt-4o', usage, at }).priced
        ?.costUsd,
    ).toBe(2.5);
    expect(
      priceModelCall(custom, {
        provider: 'openai',
        requestModel: 'gpt-4o',
        responseModel: 'gpt-4o-next-unknown',
        usage,
        at,
      }).priced?.costUsd,
    ).toBe(2.5);
  });

  it('says why a call has no price', () => {
    expect(
      priceModelCall(catalog, {
        provider: 'acme',
        requestModel: 'ranker',
        responseModel: 'ranker-2',
        usage,
        at,
      }),
    ).toEqual({
      unpricedReason:
        'unknown model: no price for acme model ranker-2 / ranker in pricing genai-prices@0.1.8',
    });
    expect(
      priceModelCall(catalog, {
        provider: 'openai',
        requestModel: 'gpt-4o',
        usage,
        at,
        serviceTier: 'priority',
      }).unpricedReason,
    ).toMatch(/^service tier priority/);
  });
});

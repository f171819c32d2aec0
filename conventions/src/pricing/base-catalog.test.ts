import type { MatchLogic, ModelInfo, Provider } from '@pydantic/genai-prices';
import { bundledProviders } from '../../test/bundled-providers';
import { catalogCost, libraryCost, type CatalogModel } from './base-catalog';
import type { CheckedUsage } from './usage';

// The per-call arithmetic on a model's price record must give genai-prices' own figure for every
// model of the bundled data, every dated price and long-context tier, and every token type.

function nameMatching(match: MatchLogic): string | undefined {
  if ('equals' in match) return match.equals;
  if ('starts_with' in match) return match.starts_with;
  if ('or' in match)
    for (const part of match.or) {
      const name = nameMatching(part);
      if (name) return name;
    }
  return undefined;
}

function modelOf(provider: Provider, info: ModelInfo): CatalogModel | undefined {
  const matchName = nameMatching(info.match);
  if (!matchName) return undefined;
  const dated = Array.isArray(info.prices)
    ? info.prices.every((p) => p.constraint === undefined || p.constraint.type === 'start_date')
      ? info.prices.map((p) => ({
          fromMs:
            p.constraint?.type === 'start_date'
              ? Date.parse(p.constraint.start_date)
              : Number.NEGATIVE_INFINITY,
          price: p.prices,
        }))
      : undefined
    : [{ fromMs: Number.NEGATIVE_INFINITY, price: info.prices }];
  return { provider: { ...provider, models: [info] }, matchName, info, dated };
}

const USAGES: CheckedUsage[] = [
  { input: 1_000, output: 500, cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, reasoning: 0 },
  {
    input: 12_345,
    output: 2_000,
    cacheRead: 4_000,
    cacheWrite: 3_000,
    cacheWrite1h: 1_000,
    reasoning: 700,
  },
  {
    input: 250_001,
    output: 9_000,
    cacheRead: 50_000,
    cacheWrite: 20_000,
    cacheWrite1h: 20_000,
    reasoning: 9_000,
  },
  {
    input: 1_500_000,
    output: 0,
    cacheRead: 0,
    cacheWrite: 1_500_000,
    cacheWrite1h: 0,
    reasoning: 0,
  },
];

describe('catalog arithmetic', () => {
  it('equals genai-prices calcPrice for every bundled model, price date and token type', () => {
    let compared = 0;
    const differences: string[] = [];
    for (const provider of bundledProviders()) {
      for (const info of provider.models) {
        const model = modelOf(provider, info);
        if (!model?.dated) continue;
        for (const { fromMs } of model.dated) {
          const atMs = Number.isFinite(fromMs) ? fromMs + 1 : Date.parse('2020-01-01T00:00:00Z');
          for (const usage of USAGES) {
            let expected;
            try {
              expected = libraryCost(model, usage, atMs);
            } catch {
              continue; // a record genai-prices itself refuses for this usage
            }
            const actual = catalogCost(model, usage, atMs);
            compared += 1;
            if (
              !expected ||
              !actual ||
              Math.abs(actual.usd - expected.usd) > 1e-11 * Math.max(1, expected.usd)
            ) {
              differences.push(
                `${provider.id}/${info.id} ${JSON.stringify(usage)}: ${actual?.usd} vs ${expected?.usd}`,
              );
            }
          }
        }
      }
    }
    expect(differences.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(4_000);
  });
});

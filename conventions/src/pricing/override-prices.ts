import { catalogProviderId } from './catalog-providers';
import { baseModelName, modelNameCandidates } from './model-names';
import { normalizedTier } from './service-tier';
import type { EffectivePrice, ModelPrice } from './types';
import type { CheckedUsage } from './usage';

/** One override price with its start as epoch milliseconds. */
export interface DatedOverride {
  fromMs: number;
  tier: string;
  price: ModelPrice;
}

function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The key under which an override replaces another: provider, model, day and tier. */
export function overrideKey(price: ModelPrice, aliases: Readonly<Record<string, string>>): string {
  return `${canonicalProvider(price.provider, aliases)}\u0000${baseModelName(price.model)}\u0000${price.effectiveFrom}\u0000${normalizedTier(price.serviceTier)}`;
}

export function canonicalProvider(
  provider: string,
  aliases: Readonly<Record<string, string>>,
): string {
  const lower = provider.trim().toLowerCase();
  return catalogProviderId(aliases[lower] ?? lower);
}

/** The operator's prices, indexed by provider and model name (and aliases), each series by date. */
export class OverrideIndex {
  private readonly byProvider = new Map<string, Map<string, DatedOverride[]>>();

  constructor(
    entries: readonly ModelPrice[],
    private readonly aliases: Readonly<Record<string, string>>,
  ) {
    for (const price of entries) {
      const provider = canonicalProvider(price.provider, aliases);
      const dated = {
        fromMs: dayStartMs(price.effectiveFrom),
        tier: normalizedTier(price.serviceTier),
        price,
      };
      for (const name of [price.model, ...(price.aliases ?? [])])
        this.add(provider, baseModelName(name), dated);
    }
    for (const models of this.byProvider.values()) {
      for (const series of models.values()) series.sort((a, b) => a.fromMs - b.fromMs);
    }
  }

  get size(): number {
    return this.byProvider.size;
  }

  /** The dated prices of a model (most specific name first, as modelNameCandidates), or undefined. */
  seriesOf(provider: string, model: string): DatedOverride[] | undefined {
    const models = this.byProvider.get(canonicalProvider(provider, this.aliases));
    if (!models) return undefined;
    for (const candidate of modelNameCandidates(model)) {
      const series = models.get(candidate);
      if (series) return series;
    }
    return undefined;
  }

  private add(provider: string, name: string, dated: DatedOverride): void {
    let models = this.byProvider.get(provider);
    if (!models) this.byProvider.set(provider, (models = new Map()));
    let series = models.get(name);
    if (!series) models.set(name, (series = []));
    series.push(dated);
  }
}

/** The latest price of `tier` in force at `atMs`, or undefined. */
export function overrideAt(
  series: readonly DatedOverride[],
  tier: string,
  atMs: number,
): DatedOverride | undefined {
  for (let i = series.length - 1; i >= 0; i--) {
    const dated = series[i]!;
    if (dated.tier === tier && dated.fromMs <= atMs) return dated;
  }
  return undefined;
}

/**
 * USD of a call at an operator's price: uncached input, cache reads, cache writes (5 min and 1 h),
 * non-reasoning output and reasoning, each at its own price (a missing cache-write price is the
 * input price, a missing 1 h price the cache-write price, a missing reasoning price the output price).
 */
export function overrideCost(price: ModelPrice, usage: CheckedUsage, factor: number): number {
  const cacheWrite = price.cacheWritePerMTok ?? price.inputPerMTok;
  const cacheWrite1h = price.cacheWrite1hPerMTok ?? cacheWrite;
  const micro =
    (usage.input - usage.cacheRead - usage.cacheWrite) * price.inputPerMTok +
    usage.cacheRead * price.cachedInputPerMTok +
    (usage.cacheWrite - usage.cacheWrite1h) * cacheWrite +
    usage.cacheWrite1h * cacheWrite1h +
    (usage.output - usage.reasoning) * price.outputPerMTok +
    usage.reasoning * (price.reasoningPerMTok ?? price.outputPerMTok);
  return (micro / 1e6) * factor;
}

export function describeOverride(
  dated: DatedOverride,
  tier: string,
  factor: number,
  overrideVersion: string,
): EffectivePrice {
  const price = dated.price;
  const scaled = (value: number | undefined): number | undefined =>
    value === undefined ? undefined : value * factor;
  return {
    provider: price.provider,
    model: price.model,
    effectiveFrom: price.effectiveFrom,
    serviceTier: tier,
    inputPerMTok: price.inputPerMTok * factor,
    outputPerMTok: price.outputPerMTok * factor,
    cachedInputPerMTok: price.cachedInputPerMTok * factor,
    cacheWritePerMTok: scaled(price.cacheWritePerMTok),
    cacheWrite1hPerMTok: scaled(price.cacheWrite1hPerMTok),
    reasoningPerMTok: scaled(price.reasoningPerMTok),
    source: 'override',
    catalogVersion: overrideVersion,
    reference: price.source,
  };
}

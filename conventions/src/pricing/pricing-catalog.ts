import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ModelPrice as CatalogModelPrice } from '@pydantic/genai-prices';
import {
  BASE_CATALOG_VERSION,
  catalogCost,
  describeCatalogPrice,
  findCatalogModel,
  type CatalogModel,
} from './base-catalog';
import { catalogFileSchema, describeIssues, entryListSchema } from './override-schema';
import {
  describeOverride,
  OverrideIndex,
  overrideAt,
  overrideCost,
  overrideKey,
  type DatedOverride,
} from './override-prices';
import { normalizedTier, standardPriceFactor, STANDARD_TIER } from './service-tier';
import { checkedUsage, roundUsd } from './usage';
import type { EffectivePrice, ModelPrice, PricedCost, PriceOptions, TokenUsage } from './types';

/** Environment variable naming a JSON pricing file whose prices override and extend the base catalog. */
export const PRICING_FILE_ENV = 'TOKENMETER_PRICING_FILE';

interface CatalogData {
  version: string;
  /** Whether the genai-prices data is the base (false: the operator's prices only). */
  withBase: boolean;
  entries: ModelPrice[];
  providerAliases: Record<string, string>;
}

/** What a (provider, model) pair resolves to, found once and kept. */
interface Resolution {
  overrides: DatedOverride[] | undefined;
  catalog: CatalogModel | undefined;
}

const RESOLUTION_CACHE_LIMIT = 5000;

function parsePricingFile(
  raw: unknown,
  origin: string,
): { version?: string; entries: ModelPrice[]; providerAliases?: Record<string, string> } {
  // A pricing file is either a whole file (version, providerAliases, entries) or a bare array of entries.
  const parsed = Array.isArray(raw)
    ? entryListSchema.safeParse(raw)
    : catalogFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid pricing catalog ${origin}: ${describeIssues(parsed.error)}`);
  }
  return Array.isArray(parsed.data) ? { entries: parsed.data } : parsed.data;
}

function shortHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 8);
}

/**
 * The prices model calls are costed with: the pinned @pydantic/genai-prices data (providers, match
 * rules, cache reads and writes, long-context tiers, dated price changes), overridden by the
 * operator's prices with effective dates. An override applies to calls made on or after its
 * effectiveFrom day; before it the base price stays, so adding a price never changes past costs.
 */
export class PricingCatalog {
  /** `genai-prices@<version>`, plus `+<override version or hash>` for each override set in force. */
  readonly version: string;
  private readonly withBase: boolean;
  private readonly list: readonly ModelPrice[];
  private readonly providerAliases: Readonly<Record<string, string>>;
  private readonly overrides: OverrideIndex;
  /** provider → model → resolution (null = no price anywhere); nested so lookups build no key string. */
  private readonly resolved = new Map<string, Map<string, Resolution | null>>();
  private resolvedCount = 0;
  /** price record → provider → tier (and model) → its description, made once (and announced) per catalog. */
  private readonly described = new WeakMap<object, Map<string, Map<string, EffectivePrice>>>();
  private readonly priceListeners: ((price: EffectivePrice) => void)[] = [];

  private constructor(data: CatalogData) {
    this.version = data.version;
    this.withBase = data.withBase;
    this.list = Object.freeze(data.entries.map((entry) => Object.freeze({ ...entry })));
    this.providerAliases = Object.freeze({ ...data.providerAliases });
    this.overrides = new OverrideIndex(this.list, this.providerAliases);
  }

  /** The base catalog: the bundled genai-prices data, no overrides. */
  static load(): PricingCatalog {
    return new PricingCatalog({
      version: BASE_CATALOG_VERSION,
      withBase: true,
      entries: [],
      providerAliases: {},
    });
  }

  /**
   * The operator's prices in a JSON file (a whole pricing file or a bare array of entries), without
   * the base catalog. Throws an Error naming the file and the offending fields when it cannot be
   * read or is invalid.
   */
  static fromFile(path: string): PricingCatalog {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Cannot read pricing file ${path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const data = parsePricingFile(raw, path);
    return new PricingCatalog({
      version: data.version ?? `file.${shortHash(data.entries)}`,
      withBase: false,
      entries: data.entries,
      providerAliases: data.providerAliases ?? {},
    });
  }

  /** The base catalog overridden by the file named in TOKENMETER_PRICING_FILE when it is set. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): PricingCatalog {
    const base = PricingCatalog.load();
    const file = PricingCatalog.overrideFileFromEnv(env);
    return file ? base.withOverridesFrom(file) : base;
  }

  /** The prices in the file named by TOKENMETER_PRICING_FILE, or undefined when it is not set. */
  static overrideFileFromEnv(env: NodeJS.ProcessEnv = process.env): PricingCatalog | undefined {
    const path = env[PRICING_FILE_ENV]?.trim();
    return path ? PricingCatalog.fromFile(path) : undefined;
  }

  /** This catalog overridden by every price (and provider alias) of `other`, labelled with its version. */
  withOverridesFrom(other: PricingCatalog): PricingCatalog {
    return this.withOverrides(other.entries(), other.version, other.providerAliases);
  }

  /**
   * A new catalog where each given price replaces the override of the same provider, model,
   * effectiveFrom and service tier, or is added. Prices are validated like a pricing file.
   */
  withOverrides(
    entries: readonly ModelPrice[],
    label?: string,
    providerAliases: Record<string, string> = {},
  ): PricingCatalog {
    const added = parsePricingFile([...entries], '(overrides)').entries;
    const aliases = { ...this.providerAliases, ...providerAliases };
    const replaced = new Set(added.map((price) => overrideKey(price, aliases)));
    return new PricingCatalog({
      version: `${this.version}+${label ?? `override.${shortHash(added)}`}`,
      withBase: this.withBase,
      entries: [
        ...this.list.filter((price) => !replaced.has(overrideKey(price, aliases))),
        ...added,
      ],
      providerAliases: aliases,
    });
  }

  /** The operator's prices (the base catalog's are not listed). */
  entries(): readonly ModelPrice[] {
    return this.list;
  }

  /** Calls `listener` with each price the first time this catalog prices a call with it. */
  onFirstUse(listener: (price: EffectivePrice) => void): void {
    this.priceListeners.push(listener);
  }

  /** The price in force for a model at a moment (a Date or epoch milliseconds), or undefined. */
  find(
    provider: string,
    model: string,
    at: Date | number,
    options?: PriceOptions,
  ): EffectivePrice | undefined {
    return this.price(provider, model, { inputTokens: 0, outputTokens: 0 }, at, options)?.price;
  }

  /**
   * The cost of a call, or undefined when the model has no price at that moment in that service
   * tier (never 0 for an unknown model). Throws RangeError on token counts that are not in the
   * "input includes cache reads and writes, output includes reasoning" form.
   */
  price(
    provider: string,
    model: string,
    usage: TokenUsage,
    at: Date | number,
    options?: PriceOptions,
  ): PricedCost | undefined {
    const checked = checkedUsage(usage);
    const resolution = this.resolve(provider, model);
    if (!resolution) return undefined;
    const atMs = typeof at === 'number' ? at : at.getTime();
    const tier =
      options?.serviceTier === undefined ? STANDARD_TIER : normalizedTier(options.serviceTier);
    const factor = standardPriceFactor(tier);
    if (resolution.overrides) {
      const own = overrideAt(resolution.overrides, tier, atMs);
      const standard = own
        ? undefined
        : factor !== undefined
          ? overrideAt(resolution.overrides, STANDARD_TIER, atMs)
          : undefined;
      const chosen = own ?? standard;
      if (chosen) {
        const chosenFactor = own ? 1 : factor!;
        const price = this.describedOverride(chosen, tier, chosenFactor);
        return {
          costUsd: roundUsd(overrideCost(chosen.price, checked, chosenFactor)),
          pricingVersion: this.version,
          price,
          source: 'override',
        };
      }
    }
    if (!resolution.catalog || factor === undefined) return undefined;
    const cost = catalogCost(resolution.catalog, checked, atMs);
    if (!cost) return undefined;
    const price = this.describedCatalogPrice(resolution.catalog, cost.modelPrice, tier, factor);
    return {
      costUsd: roundUsd(cost.usd * factor),
      pricingVersion: this.version,
      price,
      source: 'catalog',
    };
  }

  /** Why `price` finds no price for any of `models` (the names the call was priced by, in order). */
  unpricedReason(
    provider: string,
    models: readonly string[],
    at: Date | number,
    options?: PriceOptions,
  ): string {
    const names = models.filter((model) => model.length > 0);
    const named = `${provider} model ${names.join(' / ') || '(none)'}`;
    const tier = normalizedTier(options?.serviceTier);
    const known = names.some((model) => this.resolve(provider, model));
    if (known && standardPriceFactor(tier) === undefined) {
      return `service tier ${tier} has no price for ${named} in pricing ${this.version}; add an override with "serviceTier": "${tier}"`;
    }
    if (known) {
      return `no price for ${named} on ${new Date(at).toISOString().slice(0, 10)} in pricing ${this.version}`;
    }
    return `unknown model: no price for ${named} in pricing ${this.version}`;
  }

  private resolve(provider: string, model: string): Resolution | null {
    const cached = this.resolved.get(provider)?.get(model);
    if (cached !== undefined) return cached;
    const overrides = this.overrides.seriesOf(provider, model);
    const catalog = this.withBase ? findCatalogModel(provider, model) : undefined;
    const found = overrides || catalog ? { overrides, catalog } : null;
    if (this.resolvedCount >= RESOLUTION_CACHE_LIMIT) {
      this.resolved.clear();
      this.resolvedCount = 0;
    }
    let byModel = this.resolved.get(provider);
    if (!byModel) this.resolved.set(provider, (byModel = new Map()));
    byModel.set(model, found);
    this.resolvedCount++;
    return found;
  }

  /** The description of a price record already made for this catalog, if any. */
  private remembered(
    record: object,
    provider: string,
    variant: string,
  ): EffectivePrice | undefined {
    return this.described.get(record)?.get(provider)?.get(variant);
  }

  /** Keeps a description made for the first time and announces it to the listeners. */
  private remember(
    record: object,
    provider: string,
    variant: string,
    made: EffectivePrice,
  ): EffectivePrice {
    let byProvider = this.described.get(record);
    if (!byProvider) this.described.set(record, (byProvider = new Map()));
    let byVariant = byProvider.get(provider);
    if (!byVariant) byProvider.set(provider, (byVariant = new Map()));
    const price = Object.freeze(made);
    byVariant.set(variant, price);
    for (const listener of this.priceListeners) listener(price);
    return price;
  }

  private describedOverride(dated: DatedOverride, tier: string, factor: number): EffectivePrice {
    const record = dated.price;
    return (
      this.remembered(record, record.provider, tier) ??
      this.remember(
        record,
        record.provider,
        tier,
        describeOverride(dated, tier, factor, this.version),
      )
    );
  }

  // Prices are described under the price list's own provider names (the catalog's id, the
  // override's provider), never under the span's: a bounded set, whatever names the spans carry.
  private describedCatalogPrice(
    model: CatalogModel,
    modelPrice: CatalogModelPrice,
    tier: string,
    factor: number,
  ): EffectivePrice {
    const provider = model.provider.id;
    return (
      this.remembered(modelPrice, provider, tier) ??
      this.remember(
        modelPrice,
        provider,
        tier,
        describeCatalogPrice(model, modelPrice, tier, factor),
      )
    );
  }
}

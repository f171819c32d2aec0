import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import bundled from './catalog.json';
import { catalogFileSchema, describeIssues, entryListSchema } from './catalog-schema';
import { costOf } from './cost';
import { baseModelName, modelNameCandidates } from './model-names';
import type { ModelPrice, PriceOptions, PricedCost, TokenUsage } from './types';

/** Environment variable naming a JSON pricing file that overrides and extends the bundled catalog. */
export const PRICING_FILE_ENV = 'TOKENMETER_PRICING_FILE';

interface DatedPrice {
  fromMs: number;
  price: ModelPrice;
}

interface CatalogData {
  version: string;
  entries: ModelPrice[];
  providerAliases: Record<string, string>;
}

const RESOLUTION_CACHE_LIMIT = 5000;

function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function parseCatalog(
  raw: unknown,
  origin: string,
): { version?: string; entries: ModelPrice[]; providerAliases?: Record<string, string> } {
  // A pricing file is either a whole catalog or a bare array of entries.
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
 * Versioned USD prices per million tokens with effective dates. A price applies to calls made on or
 * after its effectiveFrom day until the next entry of the same model, so adding a new price never
 * changes the cost of calls made before it.
 */
export class PricingCatalog {
  readonly version: string;
  private readonly list: readonly ModelPrice[];
  private readonly providerAliases: Readonly<Record<string, string>>;
  /** provider → model or alias name → prices sorted by effectiveFrom. */
  private readonly index = new Map<string, Map<string, DatedPrice[]>>();
  /** provider → model → resolved prices (null = none); nested so lookups build no key string. */
  private readonly resolved = new Map<string, Map<string, DatedPrice[] | null>>();
  private resolvedCount = 0;

  private constructor(data: CatalogData) {
    this.version = data.version;
    this.list = Object.freeze(data.entries.map((entry) => Object.freeze({ ...entry })));
    this.providerAliases = Object.freeze({ ...data.providerAliases });
    this.buildIndex();
  }

  /** The catalog bundled with this package (no overrides). */
  static load(): PricingCatalog {
    const data = parseCatalog(bundled, '(bundled catalog.json)');
    return new PricingCatalog({
      version: data.version ?? 'bundled',
      entries: data.entries,
      providerAliases: data.providerAliases ?? {},
    });
  }

  /**
   * A catalog read from a JSON file: either the shape of catalog.json or a bare array of entries.
   * Throws an Error naming the file and the offending fields when it cannot be read or is invalid.
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
    const data = parseCatalog(raw, path);
    return new PricingCatalog({
      version: data.version ?? `file.${shortHash(data.entries)}`,
      entries: data.entries,
      providerAliases: data.providerAliases ?? {},
    });
  }

  /**
   * The bundled catalog, overridden and extended by the file named in TOKENMETER_PRICING_FILE when
   * it is set. The version then reads `<bundled version>+<file version or content hash>`.
   */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): PricingCatalog {
    const base = PricingCatalog.load();
    const file = PricingCatalog.overrideFileFromEnv(env);
    return file ? base.withOverridesFrom(file) : base;
  }

  /** The catalog in the file named by TOKENMETER_PRICING_FILE, or undefined when it is not set. */
  static overrideFileFromEnv(env: NodeJS.ProcessEnv = process.env): PricingCatalog | undefined {
    const path = env[PRICING_FILE_ENV]?.trim();
    return path ? PricingCatalog.fromFile(path) : undefined;
  }

  /** This catalog overridden by every entry (and provider alias) of `other`, labelled with its version. */
  withOverridesFrom(other: PricingCatalog): PricingCatalog {
    return this.withOverrides(other.entries(), other.version, other.providerAliases);
  }

  /**
   * A new catalog where each given entry replaces the entry of the same provider, model and
   * effectiveFrom, or is added. Entries are validated like a pricing file.
   */
  withOverrides(
    entries: readonly ModelPrice[],
    label?: string,
    providerAliases: Record<string, string> = {},
  ): PricingCatalog {
    const overrides = parseCatalog([...entries], '(overrides)').entries;
    const key = (price: ModelPrice): string =>
      `${this.canonicalProvider(price.provider)}\u0000${baseModelName(price.model)}\u0000${price.effectiveFrom}`;
    const replaced = new Set(overrides.map(key));
    return new PricingCatalog({
      version: `${this.version}+${label ?? `override.${shortHash(overrides)}`}`,
      entries: [...this.list.filter((price) => !replaced.has(key(price))), ...overrides],
      providerAliases: { ...this.providerAliases, ...providerAliases },
    });
  }

  entries(): readonly ModelPrice[] {
    return this.list;
  }

  /**
   * The price of a model at a moment (a Date or epoch milliseconds): the entry with the latest
   * effectiveFrom on or before `at`.
   */
  find(provider: string, model: string, at: Date | number): ModelPrice | undefined {
    const prices = this.pricesOf(provider, model);
    if (!prices) return undefined;
    const atMs = typeof at === 'number' ? at : at.getTime();
    for (let i = prices.length - 1; i >= 0; i--) {
      const dated = prices[i]!;
      if (dated.fromMs <= atMs) return dated.price;
    }
    return undefined;
  }

  /** Cost of a call, or undefined when the model has no price at that moment (never 0 for unknown). */
  price(
    provider: string,
    model: string,
    usage: TokenUsage,
    at: Date | number,
    // Tier prices come with the pricing package (lead's merge); until then every tier has one price.
    _options?: PriceOptions,
  ): PricedCost | undefined {
    const price = this.find(provider, model, at);
    if (!price) return undefined;
    return { costUsd: costOf(price, usage), pricingVersion: this.version, price };
  }

  private canonicalProvider(provider: string): string {
    const lower = provider.trim().toLowerCase();
    return this.providerAliases[lower] ?? lower;
  }

  private buildIndex(): void {
    const add = (provider: string, name: string, dated: DatedPrice): void => {
      let models = this.index.get(provider);
      if (!models) this.index.set(provider, (models = new Map()));
      let prices = models.get(name);
      if (!prices) models.set(name, (prices = []));
      prices.push(dated);
    };
    for (const price of this.list) {
      const provider = this.canonicalProvider(price.provider);
      const dated = { fromMs: dayStartMs(price.effectiveFrom), price };
      add(provider, baseModelName(price.model), dated);
      for (const alias of price.aliases ?? []) add(provider, baseModelName(alias), dated);
    }
    for (const models of this.index.values()) {
      for (const prices of models.values()) prices.sort((a, b) => a.fromMs - b.fromMs);
    }
  }

  private pricesOf(provider: string, model: string): DatedPrice[] | undefined {
    const cached = this.resolved.get(provider)?.get(model);
    if (cached !== undefined) return cached ?? undefined;
    const models = this.index.get(this.canonicalProvider(provider));
    let found: DatedPrice[] | null = null;
    if (models) {
      for (const candidate of modelNameCandidates(model)) {
        const prices = models.get(candidate);
        if (prices) {
          found = prices;
          break;
        }
      }
    }
    if (this.resolvedCount >= RESOLUTION_CACHE_LIMIT) {
      this.resolved.clear();
      this.resolvedCount = 0;
    }
    let byModel = this.resolved.get(provider);
    if (!byModel) this.resolved.set(provider, (byModel = new Map()));
    byModel.set(model, found);
    this.resolvedCount++;
    return found ?? undefined;
  }
}

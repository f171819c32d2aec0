import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  calcPrice,
  TieredPrices,
  type ModelInfo,
  type ModelPrice as CatalogModelPrice,
  type Provider,
  type Usage,
} from '@pydantic/genai-prices';
import { catalogProviderId } from './catalog-providers';
import { baseModelName, modelNameCandidates } from './model-names';
import type { CheckedUsage } from './usage';
import type { EffectivePrice, PriceTier } from './types';

// The bundled data of the pinned package is the base price list. Nothing here calls its
// updatePrices: prices change only with the package version, so pricing_version names every price.
const packageJson = join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json');
export const BASE_CATALOG_VERSION = `genai-prices@${(JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version}`;

/** One catalog model, found once per (provider, model) name pair and kept. */
export interface CatalogModel {
  /** A provider holding only this model: pricing through it skips the search over all providers. */
  provider: Provider;
  /** A name the model's match rule accepts. */
  matchName: string;
  info: ModelInfo;
  /** The model's prices by start (ascending), or undefined when a price depends on the time of day. */
  dated: DatedCatalogPrice[] | undefined;
}

/** A price record with its start and, once read, its per-token prices (null: left to calcPrice). */
export interface DatedCatalogPrice {
  fromMs: number;
  price: CatalogModelPrice;
  plan?: PricePlan | null;
}

const NO_USAGE: Usage = {};

function datedPrices(info: ModelInfo): CatalogModel['dated'] {
  if (!Array.isArray(info.prices))
    return [{ fromMs: Number.NEGATIVE_INFINITY, price: info.prices }];
  const dated: NonNullable<CatalogModel['dated']> = [];
  for (const conditional of info.prices) {
    const constraint = conditional.constraint;
    if (constraint === undefined)
      dated.push({ fromMs: Number.NEGATIVE_INFINITY, price: conditional.prices });
    else if (constraint.type === 'start_date')
      dated.push({ fromMs: Date.parse(constraint.start_date), price: conditional.prices });
    else return undefined;
  }
  return dated;
}

function find(providerId: string, model: string): CatalogModel | undefined {
  const found = calcPrice(NO_USAGE, model, { providerId });
  if (!found) return undefined;
  const { fallback_model_providers: _fallbacks, models: _models, ...provider } = found.provider;
  return {
    provider: { ...provider, models: [found.model] },
    matchName: model,
    info: found.model,
    dated: datedPrices(found.model),
  };
}

/**
 * The catalog model a call's (provider, model) names: the name as given, then without a hosting
 * prefix (`models/gemini-2.5-flash`), then a `provider/model` name under that provider
 * (`openai/gpt-4o` sent through a router), then without dated or `-latest` suffixes.
 */
export function findCatalogModel(provider: string, model: string): CatalogModel | undefined {
  const providerId = catalogProviderId(provider);
  const name = model.trim().toLowerCase();
  const found =
    find(providerId, name) ??
    (name.includes('/') ? find(providerId, baseModelName(name)) : undefined);
  if (found) return found;
  const slash = name.indexOf('/');
  if (slash > 0) {
    const prefixed = find(catalogProviderId(name.slice(0, slash)), name.slice(slash + 1));
    if (prefixed) return prefixed;
  }
  for (const candidate of modelNameCandidates(name).slice(1)) {
    const stripped = find(providerId, candidate);
    if (stripped) return stripped;
  }
  return undefined;
}

/** genai-prices usage keys for our counts (its input and output include the parts, like ours). */
function catalogUsage(usage: CheckedUsage): Usage {
  return {
    input_tokens: usage.input,
    output_tokens: usage.output,
    cache_read_tokens: usage.cacheRead,
    cache_write_tokens: usage.cacheWrite,
    cache_write_1h_tokens: usage.cacheWrite1h,
    output_reasoning_tokens: usage.reasoning,
  };
}

/** USD per million tokens, flat or by long-context tier (chosen by the call's input tokens). */
type Rate = number | TieredPrices | undefined;

/**
 * The per-token prices of one catalog price record, for our six token counts. Each count is priced
 * at its own key or, when the record has none, at the nearest priced key it is a part of (a 1 h
 * cache write → cache write → input), as genai-prices decomposes usage; a per-request price is
 * charged once per call, as genai-prices does.
 */
interface PricePlan {
  input: Rate;
  cacheRead: Rate;
  cacheWrite: Rate;
  cacheWrite1h: Rate;
  output: Rate;
  reasoning: Rate;
  perCallUsd: number;
}

// Price keys that split text tokens in a way our six counts cannot follow: records with one of
// them are priced by genai-prices itself.
const SPLITS_WE_DO_NOT_COUNT =
  /^(cache_write_5m|cache_text|input_text|output_text|input_tool|output_citation)/;

function planOf(price: CatalogModelPrice): PricePlan | undefined {
  for (const key of Object.keys(price)) if (SPLITS_WE_DO_NOT_COUNT.test(key)) return undefined;
  const input = price.input_mtok as Rate;
  const cacheWrite = (price.cache_write_mtok as Rate) ?? input;
  const output = price.output_mtok as Rate;
  const requests = price.requests_kcount;
  return {
    input,
    cacheRead: (price.cache_read_mtok as Rate) ?? input,
    cacheWrite,
    cacheWrite1h: (price.cache_write_1h_mtok as Rate) ?? cacheWrite,
    output,
    reasoning: (price.output_reasoning_mtok as Rate) ?? output,
    perCallUsd: typeof requests === 'number' ? requests / 1000 : 0,
  };
}

function perMTok(rate: Rate, inputTokens: number): number {
  if (rate === undefined) return 0;
  if (typeof rate === 'number') return rate;
  let price = rate.base;
  for (const tier of rate.tiers) if (inputTokens > tier.start) price = tier.price;
  return price;
}

function planCost(plan: PricePlan, usage: CheckedUsage): number {
  const input = usage.input;
  const micro =
    (input - usage.cacheRead - usage.cacheWrite) * perMTok(plan.input, input) +
    usage.cacheRead * perMTok(plan.cacheRead, input) +
    (usage.cacheWrite - usage.cacheWrite1h) * perMTok(plan.cacheWrite, input) +
    usage.cacheWrite1h * perMTok(plan.cacheWrite1h, input) +
    (usage.output - usage.reasoning) * perMTok(plan.output, input) +
    usage.reasoning * perMTok(plan.reasoning, input);
  return micro / 1e6 + plan.perCallUsd;
}

function priceAt(model: CatalogModel, atMs: number): DatedCatalogPrice | undefined {
  const dated = model.dated;
  if (!dated) return undefined;
  for (let i = dated.length - 1; i >= 0; i--) if (atMs >= dated[i]!.fromMs) return dated[i];
  return dated[0];
}

/**
 * The total USD of a call at a moment, and the catalog's price record in force then. The record is
 * chosen by date and its per-token prices are read once; only the arithmetic runs per call. A model
 * whose price depends on the time of day, or that splits tokens beyond our counts, is priced by
 * genai-prices' own calcPrice.
 */
export function catalogCost(
  model: CatalogModel,
  usage: CheckedUsage,
  atMs: number,
): { usd: number; modelPrice: CatalogModelPrice } | undefined {
  const record = priceAt(model, atMs);
  if (record) {
    if (record.plan === undefined) record.plan = planOf(record.price) ?? null;
    if (record.plan) return { usd: planCost(record.plan, usage), modelPrice: record.price };
  }
  return libraryCost(model, usage, atMs);
}

/** The same cost through genai-prices' calcPrice (the reference the fast path is tested against). */
export function libraryCost(
  model: CatalogModel,
  usage: CheckedUsage,
  atMs: number,
): { usd: number; modelPrice: CatalogModelPrice } | undefined {
  const result = calcPrice(catalogUsage(usage), model.matchName, {
    provider: model.provider,
    timestamp: new Date(atMs),
  });
  return result ? { usd: result.total_price, modelPrice: result.model_price } : undefined;
}

const FIELD_OF_PRICE_KEY = {
  input_mtok: 'inputPerMTok',
  output_mtok: 'outputPerMTok',
  cache_read_mtok: 'cachedInputPerMTok',
  cache_write_mtok: 'cacheWritePerMTok',
  cache_write_1h_mtok: 'cacheWrite1hPerMTok',
  output_reasoning_mtok: 'reasoningPerMTok',
} as const;

type PriceField = (typeof FIELD_OF_PRICE_KEY)[keyof typeof FIELD_OF_PRICE_KEY];

function effectiveFromOf(info: ModelInfo, modelPrice: CatalogModelPrice): string | null {
  if (!Array.isArray(info.prices)) return null;
  const dated = info.prices.find((conditional) => conditional.prices === modelPrice);
  return dated?.constraint?.type === 'start_date' ? dated.constraint.start_date : null;
}

/** The catalog's price record in our terms (the base price and the long-context tiers). */
export function describeCatalogPrice(
  model: CatalogModel,
  modelPrice: CatalogModelPrice,
  serviceTier: string,
  factor: number,
): EffectivePrice {
  const base: Partial<Record<PriceField, number>> = {};
  const tiers = new Map<number, PriceTier>();
  for (const [key, field] of Object.entries(FIELD_OF_PRICE_KEY) as [string, PriceField][]) {
    const value = modelPrice[key];
    if (typeof value === 'number') base[field] = value * factor;
    else if (value instanceof TieredPrices || (value && typeof value === 'object')) {
      const tiered = value as TieredPrices;
      base[field] = tiered.base * factor;
      for (const tier of tiered.tiers) {
        let entry = tiers.get(tier.start);
        if (!entry) tiers.set(tier.start, (entry = { aboveInputTokens: tier.start }));
        entry[field] = tier.price * factor;
      }
    }
  }
  const urls = model.provider.pricing_urls ?? [];
  return {
    provider: model.provider.id,
    model: model.info.id,
    effectiveFrom: effectiveFromOf(model.info, modelPrice),
    serviceTier,
    inputPerMTok: base.inputPerMTok ?? 0,
    outputPerMTok: base.outputPerMTok ?? 0,
    cachedInputPerMTok: base.cachedInputPerMTok,
    cacheWritePerMTok: base.cacheWritePerMTok,
    cacheWrite1hPerMTok: base.cacheWrite1hPerMTok,
    reasoningPerMTok: base.reasoningPerMTok,
    ...(tiers.size > 0 && {
      tiers: [...tiers.values()].sort((a, b) => a.aboveInputTokens - b.aboveInputTokens),
    }),
    source: 'catalog',
    catalogVersion: BASE_CATALOG_VERSION,
    reference: `${BASE_CATALOG_VERSION} ${model.provider.id}/${model.info.id}${urls.length > 0 ? ` (${urls[0]})` : ''}`,
  };
}

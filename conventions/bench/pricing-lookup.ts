// Per-call cost of pricing a model call: `catalog.price(provider, model, usage, at)` over a mix of
// real model names (dated snapshots, aliases, prefixed names, one unknown), after each name has
// been resolved once. Prints one line of figures. Run: `npm run bench:pricing -w conventions`.
//
// TOKENMETER_BENCH_PRICING_MODULE=<path of another pricing index.ts> measures another
// implementation of the same API (e.g. the hand-written catalog of an older commit, extracted with
// `git archive`), so the figures before and after a change come from the same script.
import { bundledProviders } from '../test/bundled-providers';

interface Catalog {
  version: string;
  price(
    provider: string,
    model: string,
    usage: object,
    at: Date | number,
  ): { costUsd: number } | undefined;
}
interface PricingModule {
  PricingCatalog: { load(): Catalog };
}

const modulePath = process.env.TOKENMETER_BENCH_PRICING_MODULE ?? '../src/pricing';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PricingCatalog } = require(modulePath) as PricingModule;

const CALLS: [string, string][] = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['openai', 'gpt-4o-2024-08-06'],
  ['openai', 'gpt-4.1-mini-2025-04-14'],
  ['openai', 'o3'],
  ['openai', 'text-embedding-3-small'],
  ['anthropic', 'claude-sonnet-4-5-20250929'],
  ['anthropic', 'claude-3-5-haiku-latest'],
  ['gcp.gemini', 'gemini-2.5-pro'],
  ['gcp.gemini', 'models/gemini-2.5-flash'],
  ['mistral_ai', 'mistral-large-2411'],
  ['openai', 'gpt-unknown-9'],
];
const usage = { inputTokens: 1200, outputTokens: 300, cachedInputTokens: 200, reasoningTokens: 0 };
const at = Date.parse('2026-11-01T12:00:00Z');
const ROUNDS = Number(process.env.TOKENMETER_BENCH_ROUNDS ?? 200_000);

function nsPerLookup(catalog: Catalog, rounds: number): number {
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) {
    const [provider, model] = CALLS[i % CALLS.length]!;
    sink += catalog.price(provider, model, usage, at)?.costUsd ?? 0;
  }
  const ns = Number(process.hrtime.bigint() - started) / rounds;
  if (sink < 0) throw new Error('unreachable');
  return ns;
}

/** The once-per-name cost: a fresh catalog per round, so every name is resolved from scratch. */
function firstLookupUs(): number {
  const rounds = 20;
  const started = process.hrtime.bigint();
  for (let round = 0; round < rounds; round++) {
    const fresh = PricingCatalog.load();
    for (const [provider, model] of CALLS) fresh.price(provider, model, usage, at);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / (rounds * CALLS.length);
}

/** Models the base catalog prices: every model of every provider in the bundled genai-prices data. */
function baseCatalogModels(): { providers: number; models: number } {
  const providers = bundledProviders();
  return {
    providers: providers.length,
    models: providers.reduce((sum, p) => sum + p.models.length, 0),
  };
}

const catalog = PricingCatalog.load();
nsPerLookup(catalog, 20_000); // warm-up: resolution cache filled, code optimised
const samples = [0, 1, 2, 3, 4].map(() => nsPerLookup(catalog, ROUNDS)).sort((a, b) => a - b);
const first = firstLookupUs();
const counted = modulePath === '../src/pricing' ? baseCatalogModels() : undefined;
console.log(
  JSON.stringify({
    catalog: catalog.version,
    ns_per_lookup_median: Math.round(samples[2]!),
    ns_per_lookup_min: Math.round(samples[0]!),
    us_per_first_lookup_of_a_name: Math.round(first * 10) / 10,
    rounds: ROUNDS,
    ...(counted && {
      base_catalog_providers: counted.providers,
      base_catalog_models: counted.models,
    }),
  }),
);

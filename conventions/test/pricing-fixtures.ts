import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelPrice } from '../src/pricing';

/** An operator's own model, absent from the base catalog. */
export const houseModelPrice: ModelPrice = {
  provider: 'openai',
  model: 'house-model',
  effectiveFrom: '2025-01-01',
  inputPerMTok: 1,
  outputPerMTok: 2,
  cachedInputPerMTok: 0.5,
  reasoningPerMTok: 4,
  source: 'operator contract 2025',
};

/** Writes a pricing file (JSON, or raw text as given) into a fresh temporary folder. */
export function writePricingFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tm-pricing-')), 'prices.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

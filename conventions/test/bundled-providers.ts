import { readFileSync } from 'node:fs';
import { findProvider, type Provider } from '@pydantic/genai-prices';

/**
 * Every provider in the bundled genai-prices data. The package exports no list, so the ids are read
 * from its bundled data and each is looked up through findProvider (tests and the benchmark only).
 */
export function bundledProviders(): Provider[] {
  const data = readFileSync(require.resolve('@pydantic/genai-prices'), 'utf8');
  const ids = new Set(
    [...data.matchAll(/\{id:"([^"]+)",name:"[^"]*",(?:pricing_urls|api_pattern)/g)].map(
      (m) => m[1]!,
    ),
  );
  const providers: Provider[] = [];
  for (const id of ids) {
    const provider = findProvider({ providerId: id });
    if (provider?.id === id) providers.push(provider);
  }
  return providers;
}

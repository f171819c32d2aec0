import { PricingCatalog } from '@tokenmeter/conventions';

let active: PricingCatalog | undefined;

/** The catalog model calls are priced with: set by setupTokenmeter, else bundled + TOKENMETER_PRICING_FILE. */
export function activeCatalog(): PricingCatalog {
  return (active ??= PricingCatalog.fromEnv());
}

export function setActiveCatalog(catalog: PricingCatalog | undefined): void {
  active = catalog;
}

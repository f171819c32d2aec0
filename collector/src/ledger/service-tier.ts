import { ATTR_OPENAI_RESPONSE_SERVICE_TIER } from '@tokenmeter/conventions';
import type { OtlpKeyValue } from '../otlp/otlp-types';

/** The service tier that served the call (`openai.response.service_tier`), or undefined. */
export function serviceTierOf(attributes: readonly OtlpKeyValue[] | null | undefined): string | undefined {
  if (!attributes) return undefined;
  for (const attribute of attributes) {
    if (attribute.key !== ATTR_OPENAI_RESPONSE_SERVICE_TIER) continue;
    const tier = attribute.value?.stringValue;
    return typeof tier === 'string' && tier.length > 0 ? tier : undefined;
  }
  return undefined;
}

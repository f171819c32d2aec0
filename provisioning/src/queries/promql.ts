import { PROM_LABELS as L } from './prometheus-names';

export type PromScope = 'variables' | 'none';

/** Label matchers for the dashboard variables; `llm` adds the model-call labels. */
export function selector(scope: PromScope, kind: 'service' | 'llm', extra: string[] = []): string {
  const matchers: string[] = [];
  if (scope === 'variables') {
    matchers.push(`${L.service}=~"$service"`);
    if (kind === 'llm') {
      matchers.push(
        `${L.model}=~"$model"`,
        `${L.billingMode}=~"$billing_mode"`,
        `${L.plan}=~"$plan"`,
      );
    }
  }
  matchers.push(...extra);
  return matchers.length ? `{${matchers.join(', ')}}` : '';
}

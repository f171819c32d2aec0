import { LLM_DURATION_NAMES, PROM_LABELS as L } from './prometheus-names';

export type PromScope = 'variables' | 'none';

/** Label matchers for the dashboard variables; `llm` adds the model-call labels. */
export function selector(scope: PromScope, kind: 'service' | 'llm', extra: string[] = []): string {
  const matchers: string[] = [];
  if (scope === 'variables') {
    matchers.push(`${L.service}=~"$service"`);
    if (kind === 'llm') {
      // Billing mode and plan are Tokenmeter's labels: other emitters' series have none (an empty
      // value), and show under every billing-mode and plan selection.
      matchers.push(
        `${L.model}=~"$model"`,
        `${L.billingMode}=~"$billing_mode|"`,
        `${L.plan}=~"$plan|"`,
      );
    }
  }
  matchers.push(...extra);
  return matchers.length ? `{${matchers.join(', ')}}` : '';
}

/**
 * The model-call duration series of every emitter (`_count`, `_bucket` or `_sum`), with the given
 * selector's matchers: our gen_ai.client.operation.duration and genai v0.1.0's
 * gen_ai.client.inference.duration.
 */
export function llmDurationSeries(
  suffix: '_count' | '_bucket' | '_sum',
  selectorText = '',
): string {
  const name = `__name__=~"${LLM_DURATION_NAMES}${suffix}"`;
  return selectorText === '' ? `{${name}}` : `{${name}, ${selectorText.slice(1)}`;
}

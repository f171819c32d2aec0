// How figures read on every screen (docs/features.md E2): the one place that says a count is a
// whole number. Dependency-free: the catalog and the app plugin import it.

/**
 * Grafana unit of a count (calls, errors, requests, tokens, executions, users): the exact whole
 * number with thousands separators ("12,345"), never scaled ("12.3 K") nor with decimals ("1.00",
 * which Prometheus's extrapolated increase() would otherwise show).
 */
export const COUNT_UNIT = 'locale';

/** The catalog's result fields that hold counts: every screen shows them with COUNT_FORMAT. */
export const COUNT_FIELDS: readonly string[] = [
  'requests',
  'tokens',
  'total_tokens',
  'month_tokens',
  'prompt_tokens',
  'completion_tokens',
  'avg_tokens_per_request',
  'errors',
  'calls',
  'executions',
  'distinct_prompts',
  'active_users',
];

/** Unit and decimals of a count, for a panel's defaults or a field override. */
export const COUNT_FORMAT = { unit: COUNT_UNIT, decimals: 0 } as const;

/** The decimals a figure of `unit` always shows: none for a count; undefined leaves Grafana's choice. */
export function decimalsOf(unit: string | undefined): number | undefined {
  return unit === COUNT_UNIT ? COUNT_FORMAT.decimals : undefined;
}

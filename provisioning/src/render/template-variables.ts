// Grafana's dashboard-variable syntax ($var, ${var}, ${var:format}, [[var]], [[var:format]]) and the
// value formats the catalog uses, following Grafana's frontend (scenes formatRegistry).

/**
 * Grafana's value of a multi-value variable set to "All" (ALL_VARIABLE_VALUE). With a custom all
 * value (the variable's `allValue`) Grafana substitutes that text raw, in every format but `text`,
 * `percentencode` and `queryparam` (scenes' CustomAllValue.formatter).
 */
export const ALL = '$__all';

export type VariableValue = string | readonly string[];
export type VariableValues = Readonly<Record<string, VariableValue>>;

const isAll = (value: VariableValue): boolean =>
  value === ALL || (typeof value !== 'string' && value.length === 1 && value[0] === ALL);

/** Grafana's variable reference pattern (templateSrv / scenes). */
const VARIABLE_REFERENCE =
  /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

const asList = (value: VariableValue): readonly string[] =>
  typeof value === 'string' ? [value] : value;

/**
 * Grafana's `sqlstring` format: each value single-quoted, `'` doubled and `"` written `\"`, joined
 * by commas. PostgreSQL's standard strings read that backslash literally, so a name holding `"`
 * would never match: the catalog does not use this format (docs/contracts.md, "Dashboard
 * variables"); it is reproduced here so that a query using it shows the mismatch in tests.
 */
export function formatSqlString(value: VariableValue): string {
  return asList(value)
    .map((v) => `'${v.replace(/'|"/g, (match) => (match === "'" ? "''" : '\\"'))}'`)
    .join(',');
}

const FORMATS: Record<string, (value: VariableValue) => string> = {
  sqlstring: formatSqlString,
  csv: (value) => asList(value).join(','),
  raw: (value) => asList(value).join(','),
  singlequote: (value) =>
    asList(value)
      .map((v) => `'${v.replace(/'/g, "\\'")}'`)
      .join(','),
  doublequote: (value) =>
    asList(value)
      .map((v) => `"${v.replace(/"/g, '\\"')}"`)
      .join(','),
};

export interface Reference {
  name: string;
  format: string | undefined;
}

/**
 * Replaces every variable reference found in `values` (or by `builtin`); other references, such
 * as the `$__timeFilter(...)` macros, are left for the datasource to expand.
 */
export function replaceVariables(
  text: string,
  values: VariableValues,
  builtin: (name: string) => string | undefined,
  defaultFormat: (reference: Reference, value: VariableValue) => string,
  customAllValue: (name: string) => string | undefined = () => undefined,
): string {
  return text.replace(
    VARIABLE_REFERENCE,
    (match, plain, bracket, bracketFormat, braced, _path, bracedFormat) => {
      const name = (plain ?? bracket ?? braced) as string;
      const format = (bracketFormat ?? bracedFormat) as string | undefined;
      const builtinValue = builtin(name);
      if (builtinValue !== undefined) return builtinValue;
      if (!Object.prototype.hasOwnProperty.call(values, name)) return match;
      const value = values[name] as VariableValue;
      if (typeof value !== 'string' && value.length === 0) {
        throw new Error(
          `Variable "${name}" has no value: pass at least one (Grafana's All passes every option)`,
        );
      }
      if (isAll(value)) return formatAll(name, format, customAllValue(name));
      if (format === undefined) return defaultFormat({ name, format }, value);
      const formatter = FORMATS[format];
      if (!formatter) throw new Error(`Unsupported variable format "${format}" in ${match}`);
      return formatter(value);
    },
  );
}

/** "All" as Grafana writes it with a custom all value; without one Grafana lists every option. */
function formatAll(name: string, format: string | undefined, allValue: string | undefined): string {
  if (format === 'text') return 'All';
  if (allValue === undefined) {
    throw new Error(
      `Variable "${name}" is "All" but has no custom all value: pass its options instead`,
    );
  }
  if (format === 'percentencode') return encodeURIComponent(allValue);
  return allValue;
}

/** Names of the variables `text` references (macros and built-ins excluded). */
export function referencedVariables(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(VARIABLE_REFERENCE)) {
    const name = (match[1] ?? match[2] ?? match[4]) as string;
    if (name.startsWith('__')) continue;
    found.push({ name, format: match[3] ?? match[6] });
  }
  return found;
}

// Grafana's dashboard-variable syntax ($var, ${var}, ${var:format}, [[var]], [[var:format]]) and the
// value formats the catalog uses, following Grafana's frontend (scenes formatRegistry).

export type VariableValue = string | readonly string[];
export type VariableValues = Readonly<Record<string, VariableValue>>;

/** Grafana's variable reference pattern (templateSrv / scenes). */
const VARIABLE_REFERENCE =
  /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

const asList = (value: VariableValue): readonly string[] =>
  typeof value === 'string' ? [value] : value;

/** The `sqlstring` format: each value single-quoted, `'` doubled and `"` backslash-escaped, joined by commas. */
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
      if (format === undefined) return defaultFormat({ name, format }, value);
      const formatter = FORMATS[format];
      if (!formatter) throw new Error(`Unsupported variable format "${format}" in ${match}`);
      return formatter(value);
    },
  );
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

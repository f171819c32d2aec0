// Grafana's PostgreSQL macro engine (pkg/tsdb/grafana-postgresql-datasource/macros.go) and the
// global SQL substitutions that run before it (sqleng Interpolate), re-stated in TypeScript so
// the catalog's SQL runs outside Grafana exactly as Grafana would send it to PostgreSQL.
import { formatGrafanaInterval, formatRfc3339Nano, parseGrafanaInterval } from './go-time';

export interface TimeRange {
  from: Date;
  to: Date;
}

/** A macro call: `$name(args)`; the arguments cannot contain `)`. */
const MACRO_CALL = /\$([_a-zA-Z0-9]+)\(([^)]*)\)/g;

/** sqleng.Interpolate: `$__interval_ms`, `$__interval`, `$__unixEpochFrom()`, `$__unixEpochTo()`. */
export function interpolateGlobals(sql: string, range: TimeRange, intervalMs: number): string {
  return sql
    .split('$__interval_ms')
    .join(String(Math.trunc(intervalMs)))
    .split('$__interval')
    .join(formatGrafanaInterval(intervalMs))
    .split('$__unixEpochFrom()')
    .join(String(unixSeconds(range.from)))
    .split('$__unixEpochTo()')
    .join(String(unixSeconds(range.to)));
}

const unixSeconds = (time: Date): number => Math.floor(time.getTime() / 1000);
const unixNanos = (time: Date): string => (BigInt(time.getTime()) * 1_000_000n).toString();
/** Go's %v of a float64 number of seconds (shortest form; no exponent below 1e21). */
const goSeconds = (ms: number): string => String(ms / 1000);

function intervalArgument(name: string, args: string[]): number {
  if (args.length < 2)
    throw new Error(`macro ${name} needs time column and interval and optional fill value`);
  const text = (args[1] as string).replace(/^'+|'+$/g, '');
  try {
    return parseGrafanaInterval(text);
  } catch {
    throw new Error(`error parsing interval ${args[1]}`);
  }
}

function checkFill(args: string[]): void {
  if (args.length !== 3) return;
  const fill = args[2] as string;
  if (fill !== 'NULL' && fill !== 'previous' && !Number.isFinite(Number.parseFloat(fill))) {
    throw new Error(`error parsing fill value ${fill}`);
  }
}

function evaluateMacro(name: string, args: string[], range: TimeRange): string {
  const column = (): string => {
    if (args.length === 0 || args[0] === '')
      throw new Error(`missing time column argument for macro ${name}`);
    return args[0] as string;
  };
  const from = formatRfc3339Nano(range.from);
  const to = formatRfc3339Nano(range.to);
  switch (name) {
    case '__time':
      return `${column()} AS "time"`;
    case '__timeEpoch':
      return `extract(epoch from ${column()}) as "time"`;
    case '__timeFilter':
      return `${column()} BETWEEN '${from}' AND '${to}'`;
    case '__timeFrom':
      return `'${from}'`;
    case '__timeTo':
      return `'${to}'`;
    case '__timeGroup': {
      const seconds = goSeconds(intervalArgument(name, args));
      checkFill(args);
      return `floor(extract(epoch from ${args[0]})/${seconds})*${seconds}`;
    }
    case '__timeGroupAlias':
      return `${evaluateMacro('__timeGroup', args, range)} AS "time"`;
    case '__unixEpochFilter':
      return `${column()} >= ${unixSeconds(range.from)} AND ${args[0]} <= ${unixSeconds(range.to)}`;
    case '__unixEpochNanoFilter':
      return `${column()} >= ${unixNanos(range.from)} AND ${args[0]} <= ${unixNanos(range.to)}`;
    case '__unixEpochNanoFrom':
      return unixNanos(range.from);
    case '__unixEpochNanoTo':
      return unixNanos(range.to);
    case '__unixEpochGroup': {
      const seconds = goSeconds(intervalArgument(name, args));
      checkFill(args);
      return `floor((${args[0]})/${seconds})*${seconds}`;
    }
    case '__unixEpochGroupAlias':
      return `${evaluateMacro('__unixEpochGroup', args, range)} AS "time"`;
    default:
      throw new Error(`unknown macro "${name}"`);
  }
}

/** The PostgreSQL datasource's macro expansion; throws Grafana's error for a bad or unknown macro. */
export function expandPostgresMacros(sql: string, range: TimeRange): string {
  return sql.replace(MACRO_CALL, (call: string, macro: string, argText: string) => {
    let name = macro;
    // Grafana's pre-5.3 compatibility: `$__timeGroup(...)` directly followed by a comma gets the alias.
    if (name === '__timeGroup') {
      const at = sql.indexOf(call);
      if (at >= 0 && sql[at + call.length] === ',') name = '__timeGroupAlias';
    }
    const args = argText.split(',').map((arg) => arg.replace(/^ +| +$/g, ''));
    return evaluateMacro(name, args, range);
  });
}

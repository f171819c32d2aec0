import { expandPostgresMacros } from './postgres-macros';
import {
  formatGrafanaInterval,
  formatRfc3339Nano,
  parseGoDuration,
  parseGrafanaInterval,
} from './go-time';
import { renderPromql, renderSql } from './render';
import { ALL, formatSqlString } from './template-variables';
import { ALL_VALUE } from '../queries/variables';

// Expected strings follow Grafana's own macro engine and its tests (macros.go, macros_test.go).
const range = { from: new Date('2018-04-12T18:00:00Z'), to: new Date('2018-04-12T18:05:00Z') };

describe("Grafana's PostgreSQL macros", () => {
  it('expands the time filter, bounds and columns', () => {
    expect(expandPostgresMacros('WHERE $__timeFilter(time_column)', range)).toBe(
      "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'",
    );
    expect(expandPostgresMacros('select $__time(time_column)', range)).toBe(
      'select time_column AS "time"',
    );
    expect(expandPostgresMacros('select $__timeEpoch(time)', range)).toBe(
      'select extract(epoch from time) as "time"',
    );
    expect(expandPostgresMacros('$__timeFrom() $__timeTo()', range)).toBe(
      "'2018-04-12T18:00:00Z' '2018-04-12T18:05:00Z'",
    );
    expect(expandPostgresMacros('$__unixEpochFilter(t)', range)).toBe(
      't >= 1523556000 AND t <= 1523556300',
    );
    expect(expandPostgresMacros('$__unixEpochNanoFrom()', range)).toBe('1523556000000000000');
  });

  it('groups time by interval, adding the alias when a comma follows (pre-5.3 rule)', () => {
    expect(expandPostgresMacros("GROUP BY $__timeGroup(time_column,'5m')", range)).toBe(
      'GROUP BY floor(extract(epoch from time_column)/300)*300',
    );
    expect(expandPostgresMacros("select $__timeGroup(time_column, '5m'), 1", range)).toBe(
      'select floor(extract(epoch from time_column)/300)*300 AS "time", 1',
    );
    expect(expandPostgresMacros('$__timeGroupAlias(ts, 1d)', range)).toBe(
      'floor(extract(epoch from ts)/86400)*86400 AS "time"',
    );
    expect(expandPostgresMacros('$__timeGroup(ts, 500ms, NULL)', range)).toBe(
      'floor(extract(epoch from ts)/0.5)*0.5',
    );
    expect(expandPostgresMacros('$__unixEpochGroupAlias(t, 1h)', range)).toBe(
      'floor((t)/3600)*3600 AS "time"',
    );
  });

  it("reports Grafana's errors for missing arguments and unknown macros", () => {
    expect(() => expandPostgresMacros('$__timeFilter()', range)).toThrow(
      'missing time column argument for macro __timeFilter',
    );
    expect(() => expandPostgresMacros('$__timeGroup(ts)', range)).toThrow(
      'needs time column and interval',
    );
    expect(() => expandPostgresMacros('$__timeGroup(ts, 5x)', range)).toThrow(
      'error parsing interval 5x',
    );
    expect(() => expandPostgresMacros('$__nope(x)', range)).toThrow('unknown macro "__nope"');
  });
});

describe('Go time rules', () => {
  it('formats RFC3339Nano without trailing fraction zeros', () => {
    expect(formatRfc3339Nano(new Date('2026-11-23T10:00:00.000Z'))).toBe('2026-11-23T10:00:00Z');
    expect(formatRfc3339Nano(new Date('2026-11-23T10:00:00.120Z'))).toBe('2026-11-23T10:00:00.12Z');
  });

  it('parses Go durations and Grafana calendar intervals', () => {
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(() => parseGoDuration('5x')).toThrow();
    expect(parseGrafanaInterval('2d')).toBe(172_800_000);
    expect(parseGrafanaInterval('1M', new Date('2026-02-10T00:00:00Z'))).toBe(28 * 86_400_000);
    expect(formatGrafanaInterval(90_000)).toBe('1m');
    expect(formatGrafanaInterval(2 * 86_400_000)).toBe('2d');
    expect(formatGrafanaInterval(0)).toBe('1ms');
  });
});

describe('renderSql', () => {
  const options = { ...range, vars: { service: ['api', "o'brien"], user: 'x" OR 1=1 --' } };

  it('quotes variables like Grafana sqlstring, so typed values cannot escape the literal', () => {
    expect(formatSqlString(['a', "b'c"])).toBe("'a','b''c'");
    expect(
      renderSql('WHERE service IN (${service:sqlstring}) AND user_id = ${user:sqlstring}', options),
    ).toBe(`WHERE service IN ('api','o''brien') AND user_id = 'x\\" OR 1=1 --'`);
  });

  it('substitutes $__interval before the macros, as Grafana does', () => {
    expect(
      renderSql('SELECT $__timeGroupAlias(ts, $__interval), $__interval_ms', {
        ...range,
        intervalMs: 3_600_000,
      }),
    ).toBe('SELECT floor(extract(epoch from ts)/3600)*3600 AS "time", 3600000');
  });

  it('quotes unformatted variables as the PostgreSQL datasource does: only \' doubled', () => {
    const hostile = { ...range, vars: { service: ['a"b', 'c\\d', "e'f"], user: 'x\' "y' } };
    expect(renderSql("WHERE service IN (${service}) AND user_id = '${user}'", hostile)).toBe(
      `WHERE service IN ('a"b','c\\d','e''f') AND user_id = 'x'' "y'`,
    );
  });

  it('writes "All" as the custom all value, raw in every format but text', () => {
    const all = { ...range, vars: { service: ALL, model: [ALL] } };
    expect(renderSql('IN (${service}) ${model:sqlstring} ${service:text}', all)).toBe(
      `IN (${ALL_VALUE}) ${ALL_VALUE} All`,
    );
    expect(renderPromql('x{service=~"$service"}', all)).toBe(`x{service=~"${ALL_VALUE}"}`);
    expect(() => renderSql('${other}', { ...range, vars: { other: ALL } })).toThrow(
      /no custom all value/,
    );
  });

  it('refuses empty, unknown-format variables and bad ranges', () => {
    expect(() =>
      renderSql('IN (${service:sqlstring})', { ...range, vars: { service: [] } }),
    ).toThrow(/has no value/);
    expect(() => renderSql('${user:lucene}', options)).toThrow(
      /Unsupported variable format "lucene"/,
    );
    expect(() => renderSql('x', { from: range.to, to: range.from })).toThrow(/after/);
  });
});

describe('renderPromql', () => {
  it('turns multi-value variables into escaped regex alternatives and fills $__range', () => {
    expect(
      renderPromql('sum(increase(x{job=~"$service"}[$__range]))', {
        ...range,
        vars: { service: ['a.b', 'c'] },
      }),
    ).toBe('sum(increase(x{job=~"(a\\\\.b|c)"}[300s]))');
    expect(renderPromql('rate(x[$__rate_interval])', { ...range, vars: {} })).toBe('rate(x[1m])');
  });

  it('escapes quotes and backslashes as the prometheusSpecialCharsInLabelValues toggle does', () => {
    expect(
      renderPromql('x{job=~"$service"}', { ...range, vars: { service: ['a"b', 'c\\d', "e'f"] } }),
    ).toBe(`x{job=~"(a\\\\\\"b|c\\\\\\\\d|e\\\\'f)"}`);
  });
});

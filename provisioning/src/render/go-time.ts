// Go time formatting and parsing as Grafana's backend does it (time.RFC3339Nano, time.ParseDuration,
// gtime.ParseInterval and gtime.FormatInterval of grafana-plugin-sdk-go), for millisecond times.

const MS_PER_UNIT: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go's `t.UTC().Format(time.RFC3339Nano)`: fraction without trailing zeros, none when whole seconds. */
export function formatRfc3339Nano(time: Date): string {
  const iso = time.toISOString(); // 2026-11-23T10:00:00.500Z
  const [seconds, fraction = ''] = iso.slice(0, -1).split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${seconds}${trimmed ? `.${trimmed}` : ''}Z`;
}

/** Go's time.ParseDuration, in milliseconds (throws on Go's errors). */
export function parseGoDuration(input: string): number {
  const invalid = () => new Error(`time: invalid duration "${input}"`);
  let rest = input;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid();
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?([a-zµμ]+)/;
  while (rest !== '') {
    const match = part.exec(rest);
    if (!match || (match[1] === '' && (match[2] === undefined || match[2] === ''))) throw invalid();
    const unit = match[3] as string;
    const perUnit = MS_PER_UNIT[unit];
    if (perUnit === undefined)
      throw new Error(`time: unknown unit "${unit}" in duration "${input}"`);
    total += Number(`${match[1] || '0'}.${match[2] ?? '0'}`) * perUnit;
    rest = rest.slice(match[0].length);
  }
  return sign * total;
}

/** gtime.ParseInterval: Go durations plus Nd, Nw, NM, Ny counted on the UTC calendar from `now`. */
export function parseGrafanaInterval(input: string, now: Date = new Date()): number {
  const calendar = /^(\d+)([dwMy])$/.exec(input);
  if (!calendar) return parseGoDuration(input);
  const count = Number(calendar[1]);
  const later = new Date(now.getTime());
  switch (calendar[2]) {
    case 'd':
      later.setUTCDate(later.getUTCDate() + count);
      break;
    case 'w':
      later.setUTCDate(later.getUTCDate() + count * 7);
      break;
    case 'M':
      later.setUTCMonth(later.getUTCMonth() + count);
      break;
    default:
      later.setUTCFullYear(later.getUTCFullYear() + count);
  }
  return later.getTime() - now.getTime();
}

/** gtime.FormatInterval: the largest whole unit (y, d, h, m, s, ms), truncated. */
export function formatGrafanaInterval(ms: number): string {
  const units: [string, number][] = [
    ['y', 365 * 86_400_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  for (const [unit, size] of units) {
    if (ms >= size) return `${Math.trunc(ms / size)}${unit}`;
  }
  return '1ms';
}

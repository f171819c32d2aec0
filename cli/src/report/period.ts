import { ReportError } from './report-error';
import { parseGrafanaInterval } from '@tokenmeter/provisioning/render';

export interface Period {
  from: Date;
  to: Date;
  /** How the period was asked for (e.g. "30d", "month"). */
  label: string;
}

/**
 * The report period from `--since`: a duration back from now as Grafana writes it (1h, 24h, 7d,
 * 30d, 2w, 90m), `month` for the current UTC month, or an ISO date/time.
 */
export function periodSince(since: string, now: Date = new Date()): Period {
  const text = since.trim();
  if (text === 'month' || text === 'this-month') {
    return {
      from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      to: now,
      label: 'this month',
    };
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const from = new Date(text);
    if (Number.isNaN(from.getTime())) throw new ReportError(`--since ${since}: not a valid date`);
    if (from.getTime() > now.getTime()) throw new ReportError(`--since ${since} is in the future`);
    return { from, to: now, label: `since ${from.toISOString()}` };
  }
  let ms: number;
  try {
    ms = parseGrafanaInterval(text, new Date(0));
  } catch {
    throw new ReportError(
      `--since ${since}: expected a duration such as 1h, 24h, 7d or 30d, "month", or an ISO date`,
    );
  }
  if (!(ms > 0)) throw new ReportError(`--since ${since}: the duration must be positive`);
  return { from: new Date(now.getTime() - ms), to: now, label: `last ${text}` };
}

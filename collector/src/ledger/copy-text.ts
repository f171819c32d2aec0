// Rows in the text format of PostgreSQL's COPY FROM STDIN: one line per row, fields separated by
// tabs, NULL written \N, and backslash, newline, carriage return and tab escaped with a backslash.
// COPY parses rows far more cheaply than unnest parses one array literal per column, and the sink
// keeps one flat string per request instead of thousands of row objects while it waits for a commit.
import { utcDayNumber, utcTimestamp, type LlmCall } from './llm-call';

type Field = string | number | boolean | null;

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPED, (found) => ESCAPES[found]!) : text;
}

/** One field as COPY's text format writes it. */
export function copyField(value: Field): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return escaped(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (!Number.isFinite(value)) throw new RangeError(`cannot store the number ${value}`);
  return String(value);
}

const f = copyField;

// Reused for every line: joining an array gives one flat string per row, where a template literal
// leaves a tree of partial strings that would outlive the mapping of a request with the line.
const fields: string[] = [];

/**
 * One ledger row as a line of COPY text, newline included. The fields are in LLM_CALL_COLUMNS order
 * (a test holds the two together); written out rather than looped over, as this runs once per span.
 */
export function copyLine(c: LlmCall): string {
  fields[0] = utcTimestamp(c.ts.getTime());
  fields[1] = f(c.durationMs);
  fields[2] = f(c.traceId);
  fields[3] = f(c.spanId);
  fields[4] = f(c.service);
  fields[5] = f(c.provider);
  fields[6] = f(c.operation);
  fields[7] = f(c.requestModel);
  fields[8] = f(c.responseModel);
  fields[9] = f(c.promptName);
  fields[10] = f(c.userId);
  fields[11] = f(c.billingMode);
  fields[12] = f(c.plan);
  fields[13] = f(c.status);
  fields[14] = f(c.errorType);
  fields[15] = f(c.inputTokens);
  fields[16] = f(c.outputTokens);
  fields[17] = f(c.cachedInputTokens);
  fields[18] = f(c.reasoningTokens);
  fields[19] = f(c.totalTokens);
  fields[20] = f(c.costUsd);
  fields[21] = f(c.pricingVersion);
  fields[22] = f(c.streaming);
  fields[23] = f(c.timeToFirstTokenMs);
  fields[24] = f(c.outputTokensPerS);
  fields[25] = f(c.cacheWriteInputTokens);
  fields[26] = c.costSource;
  fields[27] = f(c.reportedCostUsd);
  fields[28] = f(c.sessionId);
  fields[29] = f(c.promptVersion);
  fields[30] = f(c.serviceTier);
  fields[31] = f(c.attributes);
  fields[32] = `${f(c.unpricedReason ?? null)}\n`;
  return fields.join('\t');
}

/** Ledger rows encoded for COPY, with the UTC days (partitions, as day numbers) they fall in. */
export interface CopyRows {
  text: string;
  count: number;
  days: ReadonlySet<number>;
}

export function copyRows(calls: readonly LlmCall[]): CopyRows {
  const rows = new CopyRowsBuilder();
  for (const call of calls) rows.add(call);
  return rows.finish();
}

/** CopyRows built one call at a time, so that each call object can be let go once encoded. */
export class CopyRowsBuilder {
  private readonly lines: string[] = [];
  private readonly days = new Set<number>();

  add(call: LlmCall): void {
    this.lines.push(copyLine(call));
    this.days.add(utcDayNumber(call.ts.getTime()));
  }

  finish(): CopyRows {
    return { text: this.lines.join(''), count: this.lines.length, days: this.days };
  }
}

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

// Reused for every line: joining an array gives one flat string per row, where a template literal
// leaves a tree of partial strings that would outlive the mapping of a request with the line.
const fields: string[] = [];

const nullable = (text: string | null): string => (text === null ? '\\N' : escaped(text));
const number = (value: number): string => {
  if (!Number.isFinite(value)) throw new RangeError(`cannot store the number ${value}`);
  return String(value);
};
const nullableNumber = (value: number | null): string => (value === null ? '\\N' : number(value));

/**
 * One ledger row as a line of COPY text, newline included. The fields are in LLM_CALL_COLUMNS order
 * (a test holds the two together); written out rather than looped over, as this runs once per span,
 * each field written by what its type needs (a test holds it to copyField).
 */
export function copyLine(c: LlmCall): string {
  fields[0] = utcTimestamp(c.ts.getTime());
  fields[1] = number(c.durationMs);
  fields[2] = escaped(c.traceId);
  fields[3] = escaped(c.spanId);
  fields[4] = escaped(c.service);
  fields[5] = escaped(c.provider);
  fields[6] = escaped(c.operation);
  fields[7] = escaped(c.requestModel);
  fields[8] = nullable(c.responseModel);
  fields[9] = nullable(c.promptName);
  fields[10] = nullable(c.userId);
  fields[11] = escaped(c.billingMode);
  fields[12] = escaped(c.plan);
  fields[13] = c.status;
  fields[14] = nullable(c.errorType);
  fields[15] = number(c.inputTokens);
  fields[16] = number(c.outputTokens);
  fields[17] = number(c.cachedInputTokens);
  fields[18] = number(c.reasoningTokens);
  fields[19] = number(c.totalTokens);
  fields[20] = nullableNumber(c.costUsd);
  fields[21] = nullable(c.pricingVersion);
  fields[22] = c.streaming ? 't' : 'f';
  fields[23] = nullableNumber(c.timeToFirstTokenMs);
  fields[24] = nullableNumber(c.outputTokensPerS);
  fields[25] = number(c.cacheWriteInputTokens);
  fields[26] = c.costSource;
  fields[27] = nullableNumber(c.reportedCostUsd);
  fields[28] = nullable(c.sessionId);
  fields[29] = nullable(c.promptVersion);
  fields[30] = nullable(c.serviceTier);
  fields[31] = escaped(c.attributes);
  fields[32] = `${nullable(c.unpricedReason ?? null)}\n`;
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

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

/**
 * One ledger row as a line of COPY text, newline included. The fields are in LLM_CALL_COLUMNS order
 * (a test holds the two together); written out rather than looped over, as this runs once per span.
 */
export function copyLine(c: LlmCall): string {
  return `${utcTimestamp(c.ts.getTime())}\t${f(c.durationMs)}\t${f(c.traceId)}\t${f(c.spanId)}\t${f(c.service)}\t${f(c.provider)}\t${f(c.operation)}\t${f(c.requestModel)}\t${f(c.responseModel)}\t${f(c.promptName)}\t${f(c.userId)}\t${f(c.billingMode)}\t${f(c.plan)}\t${f(c.status)}\t${f(c.errorType)}\t${f(c.inputTokens)}\t${f(c.outputTokens)}\t${f(c.cachedInputTokens)}\t${f(c.reasoningTokens)}\t${f(c.totalTokens)}\t${f(c.costUsd)}\t${f(c.pricingVersion)}\t${f(c.streaming)}\t${f(c.timeToFirstTokenMs)}\t${f(c.outputTokensPerS)}\t${f(c.attributes)}\n`;
}

/** Ledger rows encoded for COPY, with the UTC days (partitions, as day numbers) they fall in. */
export interface CopyRows {
  text: string;
  count: number;
  days: ReadonlySet<number>;
}

export function copyRows(calls: readonly LlmCall[]): CopyRows {
  const lines: string[] = [];
  const days = new Set<number>();
  for (const call of calls) {
    lines.push(copyLine(call));
    days.add(utcDayNumber(call.ts.getTime()));
  }
  return { text: lines.join(''), count: calls.length, days };
}

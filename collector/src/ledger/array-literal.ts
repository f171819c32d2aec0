// PostgreSQL array literals, for servers that cannot take COPY FROM STDIN (PGlite behind
// pglite-socket, which the demo runs): the rows' COPY text is turned into one array literal per
// column and staged with unnest instead.

const NEEDS_QUOTE_ESCAPE = /["\\]/;
const QUOTE_ESCAPED = /["\\]/g;
const COPY_ESCAPED = /\\(.)/g;
const COPY_UNESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

function quoted(text: string): string {
  return NEEDS_QUOTE_ESCAPE.test(text) ? `"${text.replace(QUOTE_ESCAPED, '\\$&')}"` : `"${text}"`;
}

/** `{"a",NULL,"1.5"}` from the text of each value (each element type reads its own text form). */
export function arrayLiteral(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) literal += ',';
    const value = values[i]!;
    literal += value === null ? 'NULL' : quoted(value);
  }
  return `${literal}}`;
}

/** The columns of COPY text rows (see ./copy-text), one array literal per column. */
export function columnArrayLiterals(texts: readonly string[], columnCount: number): string[] {
  const columns: (string | null)[][] = Array.from({ length: columnCount }, () => []);
  for (const text of texts) {
    const lines = text.split('\n');
    lines.pop(); // after the last newline
    for (const line of lines) {
      const fields = line.split('\t');
      if (fields.length !== columnCount) throw new RangeError(`a COPY row has ${fields.length} fields, not ${columnCount}`);
      for (let i = 0; i < columnCount; i++) {
        const field = fields[i]!;
        columns[i]!.push(field === '\\N' ? null : field.replace(COPY_ESCAPED, (_, c: string) => COPY_UNESCAPES[c] ?? c));
      }
    }
  }
  return columns.map(arrayLiteral);
}

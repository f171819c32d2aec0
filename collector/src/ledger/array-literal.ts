// PostgreSQL array literals for the unnest parameters of the bulk insert. node-pg can serialise JS
// arrays itself, but its generic per-element path costs more than the database's whole insert at
// thousands of rows per batch; these serialisers do the same for the few element types the ledger uses.

type Element = string | number | boolean | null;

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`;
}

function element(value: Element): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (!Number.isFinite(value)) throw new RangeError(`cannot store the number ${value}`);
  return String(value);
}

/** `{"a","b",NULL,1.5,t}`: the text form PostgreSQL reads for text[], float8[], int8[], bool[], jsonb[]... */
export function arrayLiteral(values: readonly Element[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) literal += ',';
    literal += element(values[i]!);
  }
  return `${literal}}`;
}

import {
  CONTENT_KEYS,
  CONTENT_PREFIXES,
  FIELD_NAMES,
  LEDGER_FIELDS,
  STORED_ATTRIBUTES,
  type AcceptedName,
} from './dialect-table';

export * from './dialect-table';
export { collectorDropCondition } from './collector-filter';
export {
  errorTypeName,
  invocationParameters,
  isStreamedOperation,
  modelOperation,
  providerName,
  requestedAndAnswered,
} from './normalise';

/** Where an attribute name goes: its field (index in LEDGER_FIELDS) and its rank in that field's list. */
export interface FieldSlot {
  field: number;
  rank: number;
  name: AcceptedName;
}

/** Every accepted attribute name and its slot: one lookup per span attribute. */
export const FIELD_SLOTS: ReadonlyMap<string, FieldSlot> = (() => {
  const slots = new Map<string, FieldSlot>();
  LEDGER_FIELDS.forEach((field, index) => {
    (FIELD_NAMES[field] as readonly AcceptedName[]).forEach((name, rank) => {
      if (slots.has(name.key)) throw new Error(`dialect table: ${name.key} is listed twice`);
      slots.set(name.key, { field: index, rank, name });
    });
  });
  return slots;
})();

const CONTENT = new Set(CONTENT_KEYS);
// One anchored pattern: most keys fail on their first characters (cheaper than a startsWith each).
const CONTENT_PREFIX = new RegExp(
  `^(?:${CONTENT_PREFIXES.map((prefix) => prefix.replaceAll('.', '\\.')).join('|')})`,
);

/** Whether an attribute holds message content in some dialect (never stored). */
export function isContentAttribute(key: string): boolean {
  return CONTENT.has(key) || CONTENT_PREFIX.test(key);
}

/**
 * The names stored in `attributes`: the documented set and the operator's `extra` names. A name
 * that holds content in some dialect, or that is a ledger field (it has its column), is refused.
 */
export function storedAttributeNames(extra: readonly string[] = []): ReadonlySet<string> {
  for (const name of extra) {
    if (isContentAttribute(name)) {
      throw new Error(`"${name}" holds message content in some GenAI dialect: it is never stored`);
    }
    if (FIELD_SLOTS.has(name))
      throw new Error(`"${name}" is a ledger field: it is stored in its own column`);
  }
  return new Set([...STORED_ATTRIBUTES, ...extra]);
}

/** The documented set alone (TOKENMETER_SINK_STORED_ATTRIBUTES unset). */
export const DEFAULT_STORED_ATTRIBUTES: ReadonlySet<string> = storedAttributeNames();

import { int64ToNumber, type OtlpAnyValue, type OtlpKeyValue } from './otlp-types';

export type AttributeValue =
  string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** Most arrays and maps nested in one another an attribute value may have. */
export const MAX_ATTRIBUTE_DEPTH = 32;
/** Most values (the attribute's own, every array element and map entry) one attribute may hold. */
export const MAX_ATTRIBUTE_VALUES = 10_000;

/** An attribute value nested too deep or holding too many values: its span is rejected, not the request. */
export class AttributeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttributeValueError';
  }
}

/**
 * Put by the decoder (./trace-messages) in place of a value nested deeper than MAX_ATTRIBUTE_DEPTH,
 * whose bytes it skipped instead of recursing into them.
 */
export const TOO_DEEP = Symbol('tokenmeter.attribute-too-deep');

type Container = AttributeValue[] | { [key: string]: AttributeValue };

interface Pending {
  /** OTLP values still to convert into `into`, with the keys of a map (absent for an array). */
  values: readonly (OtlpAnyValue | null | undefined)[];
  keys?: readonly string[];
  next: number;
  into: Container;
  depth: number;
}

/**
 * An OTLP AnyValue as a plain JSON value (bytes as base64, int64 as number). Iterative, so that no
 * nesting can exhaust the stack; throws AttributeValueError beyond the depth and size bounds.
 */
export function plainValue(value: OtlpAnyValue | null | undefined): AttributeValue {
  const scalar = scalarValue(value);
  if (scalar !== NOT_SCALAR) return scalar;
  let count = 1;
  const root = emptyContainer(value!);
  const stack: Pending[] = [pendingOf(value!, root, 1)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.values.length) {
      stack.pop();
      continue;
    }
    const index = top.next++;
    const child = top.values[index];
    if (++count > MAX_ATTRIBUTE_VALUES)
      throw new AttributeValueError(`attribute holds more than ${MAX_ATTRIBUTE_VALUES} values`);
    let converted = scalarValue(child);
    if (converted === NOT_SCALAR) {
      if (top.depth + 1 > MAX_ATTRIBUTE_DEPTH) throw tooDeep();
      const container = emptyContainer(child!);
      stack.push(pendingOf(child!, container, top.depth + 1));
      converted = container;
    }
    if (top.keys) (top.into as Record<string, AttributeValue>)[top.keys[index]!] = converted;
    else (top.into as AttributeValue[]).push(converted);
  }
  return root;
}

export function attributeMap(
  keyValues: readonly OtlpKeyValue[] | null | undefined,
): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  if (!keyValues) return map;
  for (const { key, value } of keyValues) map[key] = plainValue(value);
  return map;
}

const NOT_SCALAR = Symbol('not-scalar');

function scalarValue(value: OtlpAnyValue | null | undefined): AttributeValue | typeof NOT_SCALAR {
  if (!value) return null;
  if ((value as { [TOO_DEEP]?: true })[TOO_DEEP]) throw tooDeep();
  if (value.stringValue !== null && value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== null && value.intValue !== undefined) return int64ToNumber(value.intValue);
  if (value.doubleValue !== null && value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== null && value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue || value.kvlistValue) return NOT_SCALAR;
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

function emptyContainer(value: OtlpAnyValue): Container {
  return value.arrayValue ? [] : {};
}

function pendingOf(value: OtlpAnyValue, into: Container, depth: number): Pending {
  if (value.arrayValue) return { values: value.arrayValue.values ?? [], next: 0, into, depth };
  const entries = value.kvlistValue!.values ?? [];
  return {
    values: entries.map((entry) => entry.value),
    keys: entries.map((entry) => entry.key),
    next: 0,
    into,
    depth,
  };
}

function tooDeep(): AttributeValueError {
  return new AttributeValueError(`attribute nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`);
}

import { int64ToNumber, type OtlpAnyValue, type OtlpKeyValue } from './otlp-types';

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/** An OTLP AnyValue as a plain JSON value (bytes as base64, int64 as number). */
export function plainValue(value: OtlpAnyValue | null | undefined): AttributeValue {
  if (!value) return null;
  if (value.stringValue !== null && value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== null && value.intValue !== undefined) return int64ToNumber(value.intValue);
  if (value.doubleValue !== null && value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== null && value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return value.arrayValue.values.map(plainValue);
  if (value.kvlistValue) return attributeMap(value.kvlistValue.values);
  if (value.bytesValue) return Buffer.from(value.bytesValue).toString('base64');
  return null;
}

export function attributeMap(keyValues: readonly OtlpKeyValue[] | null | undefined): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  if (!keyValues) return map;
  for (const { key, value } of keyValues) map[key] = plainValue(value);
  return map;
}

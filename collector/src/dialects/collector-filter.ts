// The Collector's trace filter, derived from the dialect table: a span is dropped unless the first
// operation name it carries (in the table's order) marks it as a model call, the same decision the
// sink takes (./normalise modelOperation). otelcol.yaml holds the generated text; a test keeps the two equal.
import {
  FIELD_NAMES,
  NON_MODEL_OPERATIONS,
  OPENINFERENCE_MODEL_KINDS,
  VERCEL_PROVIDER_CALL,
  type OperationRule,
} from './dialect-table';

const attribute = (key: string): string => `span.attributes["${key}"]`;
const quoted = (text: string): string => JSON.stringify(text);

function isModelCall(rule: OperationRule, key: string): string {
  const value = attribute(key);
  switch (rule) {
    case 'semconv':
      return `${value} != "" and not IsMatch(${value}, ${quoted(`^(${NON_MODEL_OPERATIONS.join('|')})$`)})`;
    case 'openinference-kind':
      return `(${Object.keys(OPENINFERENCE_MODEL_KINDS)
        .map((kind) => `${value} == ${quoted(kind)}`)
        .join(' or ')})`;
    case 'openllmetry-request-type':
      return `${value} != ""`;
    case 'vercel-operation-id':
      return `IsMatch(${value}, ${quoted(VERCEL_PROVIDER_CALL.source)})`;
  }
}

/** The OTTL condition of filter/genai_spans: true (drop) for every span that is not a model call. */
export function collectorDropCondition(): string {
  const names = FIELD_NAMES.operation;
  const cases = names.map(({ key, operation }, i) => {
    const earlierAbsent = names.slice(0, i).map((earlier) => `${attribute(earlier.key)} == nil`);
    return `(${[...earlierAbsent, `${attribute(key)} != nil`, isModelCall(operation, key)].join(' and ')})`;
  });
  return `not (${cases.join(' or ')})`;
}

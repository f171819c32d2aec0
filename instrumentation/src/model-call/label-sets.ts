import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_TOKENMETER_BILLING_MODE,
  ATTR_TOKENMETER_PLAN,
  ATTR_TOKENMETER_PROMPT_NAME,
  GEN_AI_TOKEN_TYPE,
} from '@tokenmeter/conventions';

/** The metric labels of one kind of model call, built once and shared: never mutate them. */
export interface LabelSet {
  /** Identifies the set; cheaper to compute and hash than the labels. */
  key: string;
  base: Attributes;
  input: Attributes;
  output: Attributes;
  /** The base labels with `error.type`, per error type seen (see labelsWithError). */
  errors?: Map<string, Attributes>;
}

export interface LabelValues {
  operation: string;
  provider: string;
  requestModel: string;
  billingMode: string;
  plan: string;
  promptName: string | undefined;
}

// Reusing one frozen label object per set matters: the metrics SDK hashes the labels of every data
// point (objects built by spreading are markedly slower for it than ones built once), and the
// Views' allow-list (AllowListLabels) checks a frozen object once instead of copying it each time.
const sets = new Map<string, LabelSet>();
const MAX_SETS = 10_000;

function build(values: LabelValues, tokenType?: string): Attributes {
  const labels: Attributes = {};
  labels[ATTR_GEN_AI_OPERATION_NAME] = values.operation;
  labels[ATTR_GEN_AI_PROVIDER_NAME] = values.provider;
  labels[ATTR_GEN_AI_REQUEST_MODEL] = values.requestModel;
  labels[ATTR_TOKENMETER_BILLING_MODE] = values.billingMode;
  labels[ATTR_TOKENMETER_PLAN] = values.plan;
  if (values.promptName !== undefined) labels[ATTR_TOKENMETER_PROMPT_NAME] = values.promptName;
  if (tokenType !== undefined) labels[ATTR_GEN_AI_TOKEN_TYPE] = tokenType;
  return Object.freeze(labels);
}

export function labelSetFor(values: LabelValues): LabelSet {
  const key = `${values.operation}\u0000${values.provider}\u0000${values.requestModel}\u0000${values.billingMode}\u0000${values.plan}\u0000${values.promptName ?? '\u0001'}`;
  let set = sets.get(key);
  if (!set) {
    set = {
      key,
      base: build(values),
      input: build(values, GEN_AI_TOKEN_TYPE.input),
      output: build(values, GEN_AI_TOKEN_TYPE.output),
    };
    if (sets.size >= MAX_SETS) sets.clear();
    sets.set(key, set);
  }
  return set;
}

const MAX_ERROR_TYPES = 64;

/** The base labels of `set` with `error.type`: built once per error type, frozen and reused. */
export function labelsWithError(set: LabelSet, errorType: string): Attributes {
  const errors = (set.errors ??= new Map());
  let labels = errors.get(errorType);
  if (!labels) {
    labels = Object.freeze({ ...set.base, [ATTR_ERROR_TYPE]: errorType });
    if (errors.size >= MAX_ERROR_TYPES) errors.clear();
    errors.set(errorType, labels);
  }
  return labels;
}

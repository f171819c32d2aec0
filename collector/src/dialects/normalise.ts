// The normalisation rules of the dialect table: how a value read under one dialect's name becomes
// the ledger's value (operation, provider, error type).
import {
  NON_MODEL_OPERATIONS,
  OPENINFERENCE_MODEL_KINDS,
  OPENLLMETRY_REQUEST_TYPES,
  PROVIDER_SYNONYMS,
  VERCEL_PROVIDER_CALL,
  type OperationRule,
} from './dialect-table';

const NON_MODEL = new Set(NON_MODEL_OPERATIONS);
const VERCEL_EMBED = /\.doEmbed$/;
const VERCEL_STREAM = /\.doStream$/;

/**
 * The semconv operation name (chat, text_completion, embeddings, …) of the model call a span's
 * operation attribute names, or undefined when the span is not a billed model call (an agent,
 * workflow, chain or tool span, or an empty value).
 */
export function modelOperation(rule: OperationRule, value: string): string | undefined {
  if (value === '') return undefined;
  switch (rule) {
    case 'semconv':
      return NON_MODEL.has(value) ? undefined : value;
    case 'openinference-kind':
      return OPENINFERENCE_MODEL_KINDS[value];
    case 'openllmetry-request-type':
      return OPENLLMETRY_REQUEST_TYPES[value] ?? value;
    case 'vercel-operation-id':
      if (!VERCEL_PROVIDER_CALL.test(value)) return undefined;
      return VERCEL_EMBED.test(value) ? 'embeddings' : 'chat';
  }
}

/** Whether the operation itself says the response was streamed (AI SDK `….doStream`). */
export function isStreamedOperation(rule: OperationRule, value: string): boolean {
  return rule === 'vercel-operation-id' && VERCEL_STREAM.test(value);
}

/**
 * A provider name as the semconv ≥ 1.37 `gen_ai.provider.name` value: lower-cased, an AI SDK
 * provider id cut to its provider (`openai.chat` → `openai`, `google.vertex.chat` → `gcp.vertex_ai`),
 * older and other emitters' names mapped to the well-known values.
 */
export function providerName(value: string, form: 'vercel' | undefined): string {
  let name = value.toLowerCase();
  if (form === 'vercel') {
    const parts = name.split('.');
    const twoParts = parts.length > 2 ? `${parts[0]}.${parts[1]}` : undefined;
    name = twoParts && PROVIDER_SYNONYMS[twoParts] ? twoParts : parts[0]!;
  }
  return PROVIDER_SYNONYMS[name] ?? name;
}

const PYTHON_CLASS = /^<class '([^']+)'>$/;
const QUALIFIED_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

/**
 * An error type as a class name: Python's `<class 'openai.BadRequestError'>` and qualified names
 * (`openai.BadRequestError`, `java.net.SocketTimeoutException`) become `BadRequestError`,
 * `SocketTimeoutException`; semconv values (`timeout`, `500`, `rate_limit_exceeded`) stay as they are.
 */
export function errorTypeName(value: string): string {
  const name = PYTHON_CLASS.exec(value)?.[1] ?? value;
  return QUALIFIED_NAME.test(name) ? name.slice(name.lastIndexOf('.') + 1) : name;
}

/** What the sink reads of a request's parameters (OpenInference's `llm.invocation_parameters`). */
export interface InvocationParameters {
  model?: string;
  stream?: boolean;
}

const NO_PARAMETERS: InvocationParameters = {};
/** Longer texts are not parsed: the parameters of a chat request are a few hundred characters. */
const MAX_PARAMETERS_TEXT = 16 * 1024;

/**
 * The requested model and the stream flag of a request's parameters given as JSON text; nothing
 * when the value is not a JSON object (the span is still stored from its other attributes).
 */
export function invocationParameters(value: unknown): InvocationParameters {
  if (typeof value !== 'string' || value.length > MAX_PARAMETERS_TEXT || !value.startsWith('{'))
    return NO_PARAMETERS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return NO_PARAMETERS;
  }
  if (typeof parsed !== 'object' || parsed === null) return NO_PARAMETERS;
  const { model, stream } = parsed as Record<string, unknown>;
  return {
    ...(typeof model === 'string' && model.trim() !== '' ? { model: model.trim() } : {}),
    ...(typeof stream === 'boolean' ? { stream } : {}),
  };
}

/**
 * The requested and answered models of a span, given its request-model `name` (read under a name
 * of `form`), its `answered` model and the model of the request's parameters (`requested`). The
 * parameters' model is the requested one when the span names none (an OpenInference span of a
 * refused call) or names one that may be the answered model (`answered-or-requested`), which is
 * then the answered model when it differs.
 */
export function requestedAndAnswered(
  name: string | undefined,
  form: 'answered-or-requested' | undefined,
  answered: string | undefined,
  requested: string | undefined,
): { request: string | undefined; response: string | undefined } {
  if (requested === undefined || (name !== undefined && form !== 'answered-or-requested'))
    return { request: name, response: answered };
  return {
    request: requested,
    response: answered ?? (name !== undefined && name !== requested ? name : undefined),
  };
}

import { context, createContextKey, type Attributes } from '@opentelemetry/api';
import { reportInternalError } from '../diagnostics';
import {
  startModelCall,
  type ModelCall,
  type ModelCallOutcome,
  type ModelCallRecorder,
} from '../model-call/model-call';
import { observeStream, type TraceModelStreamOptions } from '../model-call/trace-model-call';
import {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
} from '@tokenmeter/conventions';
import {
  RESPONSE_FAILURE_EVENTS,
  chatChunkHasOutput,
  chatCompletionOutcome,
  embeddingsOutcome,
  isUsageOnlyChunk,
  responseEventHasOutput,
  responseOutcome,
  type ChatCompletionLike,
  type ResponseStreamEventLike,
} from './openai-outcomes';

export interface InstrumentOpenAIOptions {
  /**
   * gen_ai.provider.name of the calls; default `openai`. Set it when the client talks to another
   * OpenAI-compatible host (e.g. `meta` for Llama at a reference host, `azure.ai.openai`).
   */
  provider?: string;
}

type CreateFn = (this: unknown, params: Record<string, unknown>, ...rest: unknown[]) => unknown;

interface Endpoint {
  operation: string;
  /** Whether usage arrives in streams only on request (chat completions' stream_options.include_usage). */
  streamUsageOptIn: boolean;
  outcome: (result: never) => ModelCallOutcome;
  streamOptions: (hideUsageChunk: boolean) => TraceModelStreamOptions<never>;
}

const CHAT: Endpoint = {
  operation: GEN_AI_OPERATION.chat,
  streamUsageOptIn: true,
  outcome: chatCompletionOutcome,
  streamOptions: (hideUsageChunk) =>
    ({
      isOutput: chatChunkHasOutput,
      onChunk: (chunk: ChatCompletionLike, call: ModelCallRecorder) =>
        call.record(chatCompletionOutcome(chunk)),
      isVisible: hideUsageChunk
        ? (chunk: ChatCompletionLike) => !isUsageOnlyChunk(chunk)
        : undefined,
    }) as TraceModelStreamOptions<never>,
};

const RESPONSES: Endpoint = {
  operation: GEN_AI_OPERATION.chat,
  streamUsageOptIn: false,
  outcome: responseOutcome,
  streamOptions: () =>
    ({
      isOutput: responseEventHasOutput,
      onChunk: (event: ResponseStreamEventLike, call: ModelCallRecorder) => {
        if (event.response) call.record(responseOutcome(event.response));
        if (event.type && RESPONSE_FAILURE_EVENTS.has(event.type))
          call.fail(new OpenAIStreamError(event.type));
      },
    }) as TraceModelStreamOptions<never>,
};

const EMBEDDINGS: Endpoint = {
  operation: GEN_AI_OPERATION.embeddings,
  streamUsageOptIn: false,
  outcome: embeddingsOutcome,
  streamOptions: () => ({}),
};

const COMPLETIONS: Endpoint = { ...CHAT, operation: GEN_AI_OPERATION.textCompletion };

/** A stream that reported failure in an event instead of an HTTP error. */
export class OpenAIStreamError extends Error {
  constructor(readonly eventType: string) {
    super(`OpenAI stream reported ${eventType}`);
    this.name = 'OpenAIStreamError';
  }
}

// Set while an instrumented create runs, so a second layer of instrumentation (e.g. a client
// instrumented twice) adds no second span.
const INSIDE_OPENAI_CALL = createContextKey('tokenmeter.openai.call');
const INSTRUMENTED = Symbol.for('tokenmeter.openai.instrumented');

function requestAttributes(params: Record<string, unknown>, baseURL: unknown): Attributes {
  const attributes: Attributes = {};
  const maxTokens = params.max_completion_tokens ?? params.max_output_tokens ?? params.max_tokens;
  if (typeof maxTokens === 'number') attributes[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = maxTokens;
  if (typeof params.temperature === 'number')
    attributes[ATTR_GEN_AI_REQUEST_TEMPERATURE] = params.temperature;
  if (typeof params.top_p === 'number') attributes[ATTR_GEN_AI_REQUEST_TOP_P] = params.top_p;
  if (typeof baseURL === 'string') {
    try {
      const url = new URL(baseURL);
      attributes[ATTR_SERVER_ADDRESS] = url.hostname;
      attributes[ATTR_SERVER_PORT] = url.port
        ? Number(url.port)
        : url.protocol === 'http:'
          ? 80
          : 443;
    } catch {
      // not a URL: no server attributes
    }
  }
  return attributes;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}

function instrumentCreate(
  resource: unknown,
  endpoint: Endpoint,
  provider: string,
  baseURL: unknown,
): void {
  if (!resource || typeof resource !== 'object') return;
  const target = resource as { create?: CreateFn; [INSTRUMENTED]?: boolean };
  const original = target.create;
  if (typeof original !== 'function' || target[INSTRUMENTED]) return;

  const create: CreateFn = function (this: unknown, params, ...rest) {
    if (context.active().getValue(INSIDE_OPENAI_CALL) || !params || typeof params !== 'object') {
      return original.call(this, params, ...rest);
    }
    let call: ModelCall | undefined;
    let sent = params;
    let hideUsageChunk = false;
    const streaming = params.stream === true;
    try {
      const streamOptions = params.stream_options as { include_usage?: boolean } | undefined | null;
      if (streaming && endpoint.streamUsageOptIn && streamOptions?.include_usage === undefined) {
        // Streamed usage only arrives on request: ask for it and hide the extra chunk from the caller.
        sent = { ...params, stream_options: { ...streamOptions, include_usage: true } };
        hideUsageChunk = true;
      }
      call = startModelCall({
        provider,
        requestModel:
          typeof params.model === 'string' && params.model !== '' ? params.model : 'unknown',
        operation: endpoint.operation,
        streaming,
        attributes: requestAttributes(params, baseURL),
      });
    } catch (error) {
      reportInternalError('openai create', error);
    }
    if (!call) return original.call(this, params, ...rest);
    const active = call;

    let apiPromise: unknown;
    try {
      apiPromise = context.with(active.context.setValue(INSIDE_OPENAI_CALL, true), () =>
        original.call(this, sent, ...rest),
      );
    } catch (error) {
      active.end(error);
      throw error;
    }
    if (!isThenable(apiPromise)) {
      active.end();
      return apiPromise;
    }
    // The caller gets the client's own promise (an APIPromise with .withResponse()); the call is
    // observed on the side. This handler runs before the caller's continuation, so the stream is
    // wrapped before anyone iterates it.
    apiPromise.then(
      (result) => {
        try {
          if (streaming) wrapStream(result, active, endpoint.streamOptions(hideUsageChunk));
          else {
            active.record(endpoint.outcome(result as never));
            active.end();
          }
        } catch (error) {
          reportInternalError('openai result', error);
          active.end();
        }
      },
      (error: unknown) => active.end(error),
    );
    return apiPromise;
  };
  target.create = create;
  target[INSTRUMENTED] = true;
}

function wrapStream(
  stream: unknown,
  call: ModelCall,
  options: TraceModelStreamOptions<never>,
): void {
  const target = stream as { iterator?: () => AsyncIterator<never> };
  const originalIterator = target.iterator;
  if (typeof originalIterator !== 'function') {
    call.end();
    return;
  }
  target.iterator = () => observeStream(call, originalIterator.call(stream), options);
}

interface OpenAIClientLike {
  baseURL?: string;
  chat?: { completions?: unknown };
  responses?: unknown;
  embeddings?: unknown;
  completions?: unknown;
}

/**
 * Instruments an `openai` client (v6): chat completions, the Responses API, embeddings and legacy
 * completions, streamed or not. Each call gives one GenAI span with usage, cost and metrics; the
 * client's retries stay inside that one span. Returns the same client.
 */
export function instrumentOpenAI<T extends object>(
  client: T,
  options: InstrumentOpenAIOptions = {},
): T {
  const provider = options.provider ?? GEN_AI_PROVIDER.openai;
  const openai = client as OpenAIClientLike;
  instrumentCreate(openai.chat?.completions, CHAT, provider, openai.baseURL);
  instrumentCreate(openai.responses, RESPONSES, provider, openai.baseURL);
  instrumentCreate(openai.embeddings, EMBEDDINGS, provider, openai.baseURL);
  instrumentCreate(openai.completions, COMPLETIONS, provider, openai.baseURL);
  return client;
}

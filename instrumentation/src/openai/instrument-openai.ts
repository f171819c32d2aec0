import { context, type Attributes } from '@opentelemetry/api';
import { reportInternalError } from '../diagnostics';
import {
  startModelCall,
  type ModelCall,
  type ModelCallOutcome,
  type ModelCallRecorder,
} from '../model-call/model-call';
import { observeStream, type TraceModelStreamOptions } from '../model-call/observed-stream';
import { observeAPIPromise, type APIPromiseObserver } from './observe-api-promise';
import * as conventions from '@tokenmeter/conventions';
import {
  RESPONSE_FAILURE_EVENTS,
  chatChunkHasFinishReason,
  chatChunkHasOutput,
  chatCompletionOutcome,
  embeddingsOutcome,
  isUsageOnlyChunk,
  responseEventHasOutput,
  responseOutcome,
  type ChatCompletionLike,
  type ResponseStreamEventLike,
} from './openai-outcomes';

// Read once (an imported name is a getter call on the package's re-export object at every use).
const {
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  GEN_AI_OPERATION,
  GEN_AI_PROVIDER,
} = conventions;

export interface InstrumentOpenAIOptions {
  /**
   * gen_ai.provider.name of the calls; default `openai`. Set it when the client talks to another
   * OpenAI-compatible host (e.g. `meta` for Llama at a reference host, `azure.ai.openai`).
   */
  provider?: string;
}

/** An openai resource (chat.completions, responses, …): its create() runs on this client. */
interface ResourceLike {
  _client?: unknown;
}

/** create(body, options) of an openai resource (v5, v6: no further arguments). */
type CreateFn = (this: unknown, params: Record<string, unknown>, options?: unknown) => unknown;

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
  streamOptions: (hideUsageChunk) => {
    // Only the first chunk (id, model), chunks with a finish reason and the usage chunk say
    // anything new about the call: the content chunks in between are not read.
    let described = false;
    return {
      isOutput: chatChunkHasOutput,
      onChunk: (chunk: ChatCompletionLike, call: ModelCallRecorder) => {
        if (described && !chunk.usage && !chatChunkHasFinishReason(chunk)) return;
        described = true;
        call.record(chatCompletionOutcome(chunk));
      },
      isVisible: hideUsageChunk
        ? (chunk: ChatCompletionLike) => !isUsageOnlyChunk(chunk)
        : undefined,
    } as TraceModelStreamOptions<never>;
  },
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

// Set while an instrumented create runs (synchronously: the client's create only builds the
// request promise), so that a second layer of Tokenmeter instrumentation under it (a create
// wrapped twice) adds no second span.
let insideCreate = false;
const INSTRUMENTED = Symbol.for('tokenmeter.openai.instrumented');

/** server.address and server.port of a client's base URL: the same for each of its calls. */
function serverAttributesOf(baseURL: unknown): Attributes | undefined {
  if (typeof baseURL !== 'string') return undefined;
  try {
    const url = new URL(baseURL);
    return Object.freeze({
      [ATTR_SERVER_ADDRESS]: url.hostname,
      [ATTR_SERVER_PORT]: url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443,
    });
  } catch {
    return undefined; // not a URL: no server attributes
  }
}

/**
 * The request parameters the span records. They are set on the span just after it starts, not as
 * start attributes (the tracer handles start attributes three times, later ones once); samplers
 * see the operation, provider, model, server and attribution at the start.
 */
function recordRequestParameters(call: ModelCall, params: Record<string, unknown>): void {
  const maxTokens = params.max_completion_tokens ?? params.max_output_tokens ?? params.max_tokens;
  if (typeof maxTokens === 'number') call.setAttribute(ATTR_GEN_AI_REQUEST_MAX_TOKENS, maxTokens);
  if (typeof params.temperature === 'number')
    call.setAttribute(ATTR_GEN_AI_REQUEST_TEMPERATURE, params.temperature);
  if (typeof params.top_p === 'number') call.setAttribute(ATTR_GEN_AI_REQUEST_TOP_P, params.top_p);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}

function instrumentCreate(
  resource: unknown,
  endpoint: Endpoint,
  provider: string,
  serverAttributes: Attributes | undefined,
): void {
  if (!resource || typeof resource !== 'object') return;
  const target = resource as { create?: CreateFn; [INSTRUMENTED]?: boolean };
  const original = target.create;
  if (typeof original !== 'function' || target[INSTRUMENTED]) return;

  // bound once, so that the call's context switch binds nothing per call
  const originalOnTarget = original.bind(target) as CreateFn;

  const create: CreateFn = function (this: unknown, params, options) {
    if (insideCreate || !params || typeof params !== 'object') {
      return original.call(this, params, options);
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
        attributes: serverAttributes,
      });
      if (call) recordRequestParameters(call, params);
    } catch (error) {
      reportInternalError('openai create', error);
    }
    if (!call) return original.call(this, params, options);
    const active = call;

    // The one context switch of the call: the client builds and sends its request in the span's
    // context (child spans of HTTP instrumentations, retries); the answer is observed outside it.
    let apiPromise: unknown;
    insideCreate = true;
    try {
      apiPromise =
        this === target
          ? context.with(active.context, originalOnTarget, undefined, sent, options)
          : context.with(active.context, original, this, sent, options);
    } catch (error) {
      active.end(error);
      throw error;
    } finally {
      insideCreate = false;
    }
    if (!isThenable(apiPromise)) {
      active.end();
      return apiPromise;
    }
    // The caller gets an APIPromise of the client's own kind (.withResponse(), .asResponse(),
    // the helpers' _thenUnwrap); the answer is observed when the caller's await parses it, before
    // the caller's continuation runs, so a stream is wrapped before anyone iterates it.
    const observer = new CallObserver(active, endpoint, streaming, hideUsageChunk);
    const observed = observeAPIPromise(
      apiPromise,
      (this as ResourceLike | undefined)?._client,
      observer,
    );
    if (observed) return observed;
    apiPromise.then(
      (result) => observer.onResult(result),
      (error: unknown) => observer.onError(error),
    );
    return apiPromise;
  };
  target.create = create;
  target[INSTRUMENTED] = true;
}

/** What one instrumented call does with its answer: one object per call, no closures. */
class CallObserver implements APIPromiseObserver {
  constructor(
    private readonly call: ModelCall,
    private readonly endpoint: Endpoint,
    private readonly streaming: boolean,
    private readonly hideUsageChunk: boolean,
  ) {}

  onResult(result: unknown): void {
    const call = this.call;
    try {
      if (this.streaming)
        wrapStream(result, call, this.endpoint.streamOptions(this.hideUsageChunk));
      else {
        call.record(this.endpoint.outcome(result as never));
        call.end();
      }
    } catch (error) {
      reportInternalError('openai result', error);
      call.end();
    }
  }

  onError(error: unknown): void {
    this.call.end(error);
  }

  onUnparsedResponse(): void {
    this.call.end();
  }
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
  const server = serverAttributesOf(openai.baseURL);
  instrumentCreate(openai.chat?.completions, CHAT, provider, server);
  instrumentCreate(openai.responses, RESPONSES, provider, server);
  instrumentCreate(openai.embeddings, EMBEDDINGS, provider, server);
  instrumentCreate(openai.completions, COMPLETIONS, provider, server);
  return client;
}

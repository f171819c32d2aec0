// An OpenAI-compatible HTTP server with canned answers, for tests that run real OpenAI clients
// (any language) and their instrumentations against it: `POST /v1/chat/completions`, answered
// at once, streamed (SSE, with the `stream_options.include_usage` usage chunk) or not, and a 400
// for a request OpenAI would refuse. Every answer carries cached input and reasoning tokens, so an
// instrumentation has every figure it could record.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The models the server answers for: the one asked for → the snapshot it answers with. */
export const CANNED_MODELS: Readonly<Record<string, string>> = {
  'o4-mini': 'o4-mini-2025-04-16',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
};

/** The usage of a non-streamed answer. */
export const CANNED_COMPLETION = {
  id: 'chatcmpl-canned-plain',
  promptTokens: 1234,
  cachedTokens: 1024,
  completionTokens: 321,
  reasoningTokens: 192,
  serviceTier: 'default',
} as const;

/** The usage of a streamed answer (other figures than the non-streamed one, so that a mix-up shows). */
export const CANNED_STREAM = {
  id: 'chatcmpl-canned-stream',
  promptTokens: 2345,
  cachedTokens: 2048,
  completionTokens: 432,
  reasoningTokens: 256,
  serviceTier: 'default',
  /** Content chunks before the finish chunk and the usage chunk. */
  contentChunks: 5,
} as const;

/** The 400 answer to a request with a temperature above 2 (as OpenAI answers it). */
export const CANNED_ERROR = {
  status: 400,
  body: {
    error: {
      message:
        "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 7 instead.",
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'decimal_above_max_value',
    },
  },
} as const;

/** Text the answers hold: a test checks that none of it reaches a store (no content is kept). */
export const CANNED_CONTENT_MARKER = 'canned-answer-text';

const CREATED = 1764892800;

function usageOf(figures: typeof CANNED_COMPLETION | typeof CANNED_STREAM) {
  return {
    prompt_tokens: figures.promptTokens,
    completion_tokens: figures.completionTokens,
    total_tokens: figures.promptTokens + figures.completionTokens,
    prompt_tokens_details: { cached_tokens: figures.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: figures.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function completion(model: string): string {
  return JSON.stringify({
    id: CANNED_COMPLETION.id,
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: `${CANNED_CONTENT_MARKER} plain`, refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: usageOf(CANNED_COMPLETION),
    service_tier: CANNED_COMPLETION.serviceTier,
    system_fingerprint: 'fp_canned',
  });
}

function streamBody(model: string, includeUsage: boolean): string {
  const chunk = (choices: unknown[], usage: unknown = null): string =>
    `data: ${JSON.stringify({
      id: CANNED_STREAM.id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model,
      service_tier: CANNED_STREAM.serviceTier,
      system_fingerprint: 'fp_canned',
      choices,
      ...(includeUsage ? { usage } : {}),
    })}\n\n`;
  let text = chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  for (let i = 0; i < CANNED_STREAM.contentChunks; i++)
    text += chunk([
      { index: 0, delta: { content: `${CANNED_CONTENT_MARKER} ${i} ` }, finish_reason: null },
    ]);
  text += chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]);
  if (includeUsage) text += chunk([], usageOf(CANNED_STREAM));
  return `${text}data: [DONE]\n\n`;
}

/** One request the server received (its body as JSON). */
export interface ReceivedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface CannedOpenAIServer {
  /** The client's base URL (`…/v1`). */
  baseUrl: string;
  /** Every request received, in order. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_canned' });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function answer(path: string, body: Record<string, unknown>, response: ServerResponse): void {
  if (path !== '/v1/chat/completions') {
    sendJson(response, 404, {
      error: { message: `no route ${path}`, type: 'invalid_request_error' },
    });
    return;
  }
  const model = CANNED_MODELS[String(body.model)];
  if (!model) {
    sendJson(response, 404, {
      error: {
        message: `The model \`${String(body.model)}\` does not exist`,
        type: 'invalid_request_error',
        code: 'model_not_found',
      },
    });
    return;
  }
  if (typeof body.temperature === 'number' && body.temperature > 2) {
    sendJson(response, CANNED_ERROR.status, CANNED_ERROR.body);
    return;
  }
  if (body.stream !== true) {
    sendJson(response, 200, completion(model));
    return;
  }
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req_canned' });
  response.end(streamBody(model, options?.include_usage === true));
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startCannedOpenAIServer(): Promise<CannedOpenAIServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    readBody(request)
      .then((text) => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text || '{}') as Record<string, unknown>;
        } catch {
          sendJson(response, 400, {
            error: { message: 'the body is not JSON', type: 'invalid_request_error' },
          });
          return;
        }
        received.push({ path, body });
        answer(path, body, response);
      })
      .catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

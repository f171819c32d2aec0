// A local OpenAI-compatible provider for the demo and its tests: chat completions (plain and
// streamed, with usage including cached and reasoning tokens), embeddings and the model list,
// with realistic latency and a small, seeded error rate.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_MODELS } from '../world';
import {
  answerChat,
  DEFAULT_SIMULATION,
  estimateTokens,
  type Answer,
  type SimulationSettings,
} from './answer-model';

export interface ProviderOptions extends Partial<SimulationSettings> {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface ProviderStats {
  requests: number;
  completions: number;
  failures: Record<string, number>;
}

export interface RunningProvider {
  /** e.g. http://127.0.0.1:8081/v1 — the openai client's baseURL. */
  baseURL: string;
  port: number;
  stats(): ProviderStats;
  stop(): Promise<void>;
}

const CHUNK_WORDS = 6;
const MAX_BODY_BYTES = 4 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
      .join('');
  return '';
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'Request body too large.');
    chunks.push(chunk as Buffer);
  }
  try {
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'We could not parse the JSON body of your request.');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  code: string | null,
  message: string,
): void {
  // A short retry hint keeps the client's back-off (and so the demo) quick.
  if (status === 429 || status >= 500) res.setHeader('retry-after-ms', '50');
  sendJson(res, status, { error: { message, type, param: null, code } });
}

export async function startSimulatedProvider(
  options: ProviderOptions = {},
): Promise<RunningProvider> {
  const settings: SimulationSettings = {
    seed: options.seed ?? DEFAULT_SIMULATION.seed,
    transientErrorRate: options.transientErrorRate ?? DEFAULT_SIMULATION.transientErrorRate,
    rejectRate: options.rejectRate ?? DEFAULT_SIMULATION.rejectRate,
    latencyScale: options.latencyScale ?? DEFAULT_SIMULATION.latencyScale,
  };
  const stats: ProviderStats = { requests: 0, completions: 0, failures: {} };
  let counter = 0;

  const chat = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: Record<string, unknown>,
  ): Promise<void> => {
    if (typeof body.model !== 'string' || body.model === '')
      throw new HttpError(400, 'you must provide a model parameter');
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      throw new HttpError(400, "'messages' must be a non-empty array");
    const messages = body.messages as ChatMessage[];
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    const answer: Answer = answerChat(settings, {
      model: body.model,
      promptText: messages
        .map((message) => `${String(message.role)}: ${contentText(message.content)}`)
        .join('\n'),
      messages: messages.length,
      maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
      attempt: Number(req.headers['x-stainless-retry-count'] ?? 0) || 0,
    });
    if (answer.kind === 'failure') {
      stats.failures[String(answer.status)] = (stats.failures[String(answer.status)] ?? 0) + 1;
      await sleep(settings.latencyScale * 120);
      return sendError(res, answer.status, answer.type, answer.code, answer.message);
    }
    stats.completions++;
    const id = `chatcmpl-sim${(++counter).toString(36).padStart(8, '0')}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = {
      prompt_tokens: answer.usage.promptTokens,
      completion_tokens: answer.usage.completionTokens,
      total_tokens: answer.usage.promptTokens + answer.usage.completionTokens,
      prompt_tokens_details: { cached_tokens: answer.usage.cachedTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: answer.usage.reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    const model = answer.model.snapshot;
    if (body.stream !== true) {
      await sleep(answer.firstTokenMs + answer.generationMs);
      return sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answer.text, refusal: null },
            logprobs: null,
            finish_reason: answer.finishReason,
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_tokenmeter_sim',
      });
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.flushHeaders();
    const base = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      system_fingerprint: 'fp_tokenmeter_sim',
    };
    const send = (chunk: Record<string, unknown>): boolean =>
      res.write(
        `data: ${JSON.stringify({ ...base, ...chunk, ...(includeUsage && !('usage' in chunk) ? { usage: null } : {}) })}\n\n`,
      );
    send({
      choices: [
        { index: 0, delta: { role: 'assistant', content: '', refusal: null }, finish_reason: null },
      ],
    });
    await sleep(answer.firstTokenMs);
    const words = answer.text === '' ? [] : answer.text.split(' ');
    const pieces = Math.max(1, Math.ceil(words.length / CHUNK_WORDS));
    for (let i = 0; i < words.length; i += CHUNK_WORDS) {
      if (res.destroyed) return;
      const text = (i === 0 ? '' : ' ') + words.slice(i, i + CHUNK_WORDS).join(' ');
      send({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
      await sleep(answer.generationMs / pieces);
    }
    send({ choices: [{ index: 0, delta: {}, finish_reason: answer.finishReason }] });
    if (includeUsage) send({ choices: [], usage });
    res.end('data: [DONE]\n\n');
  };

  const embeddings = async (res: ServerResponse, body: Record<string, unknown>): Promise<void> => {
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    if (inputs.length === 0 || inputs.some((input) => typeof input !== 'string'))
      throw new HttpError(400, "'input' must be a string or an array of strings");
    const tokens = (inputs as string[]).reduce((sum, input) => sum + estimateTokens(input, 0), 0);
    await sleep(settings.latencyScale * 60);
    sendJson(res, 200, {
      object: 'list',
      data: (inputs as string[]).map((input, index) => ({
        object: 'embedding',
        index,
        embedding: Array.from({ length: 8 }, (_, i) => Math.sin(input.length + i)),
      })),
      model: String(body.model),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.requests++;
    const path = (req.url ?? '').split('?')[0];
    const auth = req.headers.authorization ?? '';
    if (!/^Bearer sk-\S+$/.test(auth)) {
      return sendError(
        res,
        401,
        'invalid_request_error',
        'invalid_api_key',
        'Incorrect API key provided.',
      );
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, {
        object: 'list',
        data: DEMO_MODELS.map((model) => ({
          id: model.name,
          object: 'model',
          created: 1_740_000_000,
          owned_by: 'system',
        })),
      });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions')
      return chat(req, res, await readJson(req));
    if (req.method === 'POST' && path === '/v1/embeddings')
      return embeddings(res, await readJson(req));
    sendError(
      res,
      404,
      'invalid_request_error',
      null,
      `Unknown request URL: ${req.method} ${path}.`,
    );
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError)
        return sendError(res, error.status, error.type, null, error.message);
      sendError(res, 500, 'server_error', null, `The simulated provider failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    baseURL: `http://${host}:${port}/v1`,
    port,
    stats: () => ({ ...stats, failures: { ...stats.failures } }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

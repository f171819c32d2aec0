// An OpenAI-compatible HTTP server on 127.0.0.1 for tests: chat completions, Responses API and
// embeddings, streamed or not, with usage that includes cached and reasoning tokens, and failures
// (429, 500) on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestUsage {
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export const SNAPSHOT_SUFFIX = '-2025-08-07';
export const STREAM_TEXT = ['Hello', ' from', ' the test server'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class OpenAITestServer {
  readonly requests: RecordedRequest[] = [];
  usage: TestUsage = {
    promptTokens: 1200,
    cachedTokens: 1000,
    completionTokens: 300,
    reasoningTokens: 200,
  };
  /** Delay before the first content chunk of a stream. */
  firstChunkDelayMs = 40;
  private readonly failures: number[] = [];
  /** The next answer is a 200 whose JSON body is cut short (the client's parse fails). */
  private truncateNext = false;
  private server: Server | undefined;
  private port = 0;

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The next `times` requests fail with `status` (the client retries 429 and 5xx). */
  failNext(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(status);
  }

  /** The next request is answered 200 with a JSON body that does not parse. */
  truncateNextBody(): void {
    this.truncateNext = true;
  }

  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
    this.truncateNext = false;
    this.usage = {
      promptTokens: 1200,
      cachedTokens: 1000,
      completionTokens: 300,
      reasoningTokens: 200,
    };
    this.firstChunkDelayMs = 40;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ error: { message: String(error), type: 'test_server_bug' } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body =
      chunks.length > 0
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
    const path = req.url ?? '';
    this.requests.push({ path, body, headers: req.headers });

    const failure = this.failures.shift();
    if (failure !== undefined) return this.fail(res, failure);
    if (this.truncateNext) {
      this.truncateNext = false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-test-1", "choi');
      return;
    }

    const model = String(body.model ?? '');
    const responseModel = `${model}${SNAPSHOT_SUFFIX}`;
    if (path === '/v1/chat/completions') {
      const includeUsage =
        (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      return body.stream === true
        ? this.streamChat(res, responseModel, includeUsage)
        : this.json(res, this.chatCompletion(responseModel));
    }
    if (path === '/v1/responses') {
      return body.stream === true
        ? this.streamResponse(res, responseModel)
        : this.json(res, this.response(responseModel, 'completed'));
    }
    if (path === '/v1/models') {
      return this.json(res, {
        object: 'list',
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 1_700_000_000, owned_by: 'system' }],
      });
    }
    if (path === '/v1/embeddings') {
      return this.json(res, {
        object: 'list',
        data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }],
        model,
        usage: { prompt_tokens: this.usage.promptTokens, total_tokens: this.usage.promptTokens },
      });
    }
    res.statusCode = 404;
    res.end(
      JSON.stringify({ error: { message: `no route ${path}`, type: 'invalid_request_error' } }),
    );
  }

  private fail(res: ServerResponse, status: number): void {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    // tells the openai client to retry after 5 ms instead of its exponential back-off
    res.setHeader('retry-after-ms', '5');
    const error =
      status === 429
        ? {
            message: 'Rate limit reached for requests',
            type: 'requests',
            code: 'rate_limit_exceeded',
          }
        : {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
            code: null,
          };
    res.end(JSON.stringify({ error }));
  }

  private json(res: ServerResponse, body: unknown): void {
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }

  private chatUsage() {
    const u = this.usage;
    return {
      prompt_tokens: u.promptTokens,
      completion_tokens: u.completionTokens,
      total_tokens: u.promptTokens + u.completionTokens,
      prompt_tokens_details: { cached_tokens: u.cachedTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: u.reasoningTokens,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
  }

  private chatCompletion(model: string) {
    return {
      id: 'chatcmpl-test-1',
      object: 'chat.completion',
      created: 1_760_000_000,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: STREAM_TEXT.join(''), refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: this.chatUsage(),
    };
  }

  private async streamChat(
    res: ServerResponse,
    model: string,
    includeUsage: boolean,
  ): Promise<void> {
    this.startSse(res);
    const base = {
      id: 'chatcmpl-test-2',
      object: 'chat.completion.chunk',
      created: 1_760_000_000,
      model,
      ...(includeUsage ? { usage: null } : {}),
    };
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    send({
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    await sleep(this.firstChunkDelayMs);
    for (const text of STREAM_TEXT) {
      send({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] });
      await sleep(5);
    }
    send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    if (includeUsage) send({ ...base, choices: [], usage: this.chatUsage() });
    res.end('data: [DONE]\n\n');
  }

  private response(model: string, status: string) {
    const u = this.usage;
    const completed = status === 'completed';
    return {
      id: 'resp_test_1',
      object: 'response',
      created_at: 1_760_000_000,
      status,
      model,
      output: completed
        ? [
            {
              type: 'message',
              id: 'msg_test_1',
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text: STREAM_TEXT.join(''), annotations: [] }],
            },
          ]
        : [],
      usage: completed
        ? {
            input_tokens: u.promptTokens,
            input_tokens_details: { cached_tokens: u.cachedTokens },
            output_tokens: u.completionTokens,
            output_tokens_details: { reasoning_tokens: u.reasoningTokens },
            total_tokens: u.promptTokens + u.completionTokens,
          }
        : null,
    };
  }

  private async streamResponse(res: ServerResponse, model: string): Promise<void> {
    this.startSse(res);
    let sequence = 0;
    const send = (type: string, payload: Record<string, unknown>) =>
      res.write(
        `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...payload })}\n\n`,
      );
    send('response.created', { response: this.response(model, 'in_progress') });
    await sleep(this.firstChunkDelayMs);
    for (const text of STREAM_TEXT) {
      send('response.output_text.delta', {
        item_id: 'msg_test_1',
        output_index: 0,
        content_index: 0,
        delta: text,
      });
      await sleep(5);
    }
    send('response.completed', { response: this.response(model, 'completed') });
    res.end();
  }

  private startSse(res: ServerResponse): void {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.flushHeaders();
  }
}

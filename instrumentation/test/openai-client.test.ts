// The real `openai` client, instrumented, against the OpenAI-compatible test server.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import OpenAI, { APIPromise } from 'openai';
import { VERSION } from 'openai/version';
import { instrumentOpenAI, withAttribution } from '../src';
import { OpenAITestServer, STREAM_TEXT } from './support/openai-test-server';
import { metricNamed, pointsOf, useTestTelemetry } from './support/telemetry-harness';

const telemetry = useTestTelemetry();
// Set by jest.config.js in the project that runs this file against another openai major.
const expectedMajor = (globalThis as { OPENAI_CLIENT_MAJOR?: number }).OPENAI_CLIENT_MAJOR;
let server: OpenAITestServer;
let client: OpenAI;

beforeAll(async () => {
  server = await new OpenAITestServer().start();
  client = instrumentOpenAI(
    new OpenAI({ apiKey: 'test-key', baseURL: server.baseURL, maxRetries: 2 }),
  );
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.stop();
});

const messages = [{ role: 'user' as const, content: 'Say hello' }];
// gpt-4o-mini: 200 × 0.15 + 1000 × 0.075 + 100 × 0.60 + 200 × 0.60 USD per million tokens
const miniCost = 0.000285;

async function onlySpan() {
  const spans = await telemetry.finishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

function expectedAttributes(extra: Record<string, unknown> = {}) {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2025-08-07',
    'gen_ai.usage.input_tokens': 1200,
    'gen_ai.usage.output_tokens': 300,
    'gen_ai.usage.cache_read.input_tokens': 1000,
    'gen_ai.usage.reasoning.output_tokens': 200,
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(server.baseURL).port),
    'tokenmeter.billing.mode': 'system',
    'tokenmeter.plan': 'pro',
    'tokenmeter.cost.usd': miniCost,
    'tokenmeter.pricing.version': 'genai-prices@0.1.8',
    ...extra,
  };
}

it(`runs against the openai client of its jest project (${expectedMajor ?? 'the devDependency'})`, () => {
  if (expectedMajor !== undefined && Number(VERSION.split('.')[0]) !== expectedMajor)
    throw new Error(
      `expected openai ${expectedMajor}.x, got ${VERSION}: TOKENMETER_OPENAI_${expectedMajor}_DIR must name it (scripts/test.sh)`,
    );
  expect(new OpenAI({ apiKey: 'k' }).chat.completions.create).toBeInstanceOf(Function);
});

describe('chat completions', () => {
  it('records one span with usage, cached and reasoning tokens and cost', async () => {
    const completion = await withAttribution({ userId: 'u-1', promptName: 'greeting' }, () =>
      client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        temperature: 0.5,
        max_completion_tokens: 500,
      }),
    );
    expect(completion.choices[0]!.message.content).toBe(STREAM_TEXT.join(''));
    const span = await onlySpan();
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual(
      expectedAttributes({
        'gen_ai.request.temperature': 0.5,
        'gen_ai.request.max_tokens': 500,
        'gen_ai.response.id': 'chatcmpl-test-1',
        'gen_ai.response.finish_reasons': ['stop'],
        'enduser.id': 'u-1',
        'tokenmeter.prompt.name': 'greeting',
      }),
    );
    const metrics = await telemetry.collectMetrics();
    const labels = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'tokenmeter.billing.mode': 'system',
      'tokenmeter.plan': 'pro',
      'tokenmeter.prompt.name': 'greeting',
    };
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.token.usage'))).toEqual([
      { attributes: { ...labels, 'gen_ai.token.type': 'input' }, value: { count: 1, sum: 1200 } },
      { attributes: { ...labels, 'gen_ai.token.type': 'output' }, value: { count: 1, sum: 300 } },
    ]);
    expect(pointsOf(metricNamed(metrics, 'tokenmeter.llm.cost.usd'))).toEqual([
      { attributes: labels, value: miniCost },
    ]);
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.operation.duration'))).toEqual([
      { attributes: labels, value: { count: 1, sum: expect.any(Number) } },
    ]);
  });

  it('keeps the client promise intact (withResponse still works)', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.id).toBe('chatcmpl-test-1');
    expect((await onlySpan()).attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('leaves the body unread for asResponse() and ends the span when the response arrives', async () => {
    const response = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .asResponse();
    const body = (await response.json()) as { id: string };
    expect(body.id).toBe('chatcmpl-test-1');
    const span = await onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });

  it('returns an APIPromise whose helpers (_thenUnwrap) still end the span with the answer', async () => {
    const pending = client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(pending).toBeInstanceOf(APIPromise);
    const id = await pending._thenUnwrap((completion) => completion.id);
    expect(id).toBe('chatcmpl-test-1');
    expect((await onlySpan()).attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('records a failed request taken with asResponse() as one failed span', async () => {
    server.failNext(500);
    const failure = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages }, { maxRetries: 0 })
      .asResponse()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    const span = await onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('InternalServerError');
  });

  it('records usage and cost when the caller awaits the call after its answer arrived', async () => {
    const pending = client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(1);
    const completion = await pending;
    expect(completion.id).toBe('chatcmpl-test-1');
    expect((await onlySpan()).attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('records attribution on the streamed span and in its metrics', async () => {
    const stream = await withAttribution(
      { userId: 'u-7', promptName: 'stream-greeting', plan: 'free', billingMode: 'byok' },
      () => client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }),
    );
    for await (const _chunk of stream) {
      // reading
    }
    const span = await onlySpan();
    expect(span.attributes).toEqual(
      expect.objectContaining({
        'enduser.id': 'u-7',
        'tokenmeter.prompt.name': 'stream-greeting',
        'tokenmeter.plan': 'free',
        'tokenmeter.billing.mode': 'byok',
        'tokenmeter.cost.usd': miniCost,
      }),
    );
    const metrics = await telemetry.collectMetrics();
    const labels = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'tokenmeter.billing.mode': 'byok',
      'tokenmeter.plan': 'free',
      'tokenmeter.prompt.name': 'stream-greeting',
    };
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.token.usage'))).toEqual([
      { attributes: { ...labels, 'gen_ai.token.type': 'input' }, value: { count: 1, sum: 1200 } },
      { attributes: { ...labels, 'gen_ai.token.type': 'output' }, value: { count: 1, sum: 300 } },
    ]);
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.operation.time_to_first_chunk'))).toEqual([
      {
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'tokenmeter.prompt.name': 'stream-greeting',
        },
        value: { count: 1, sum: expect.any(Number) },
      },
    ]);
  });

  it('asks a stream for usage, hides the extra usage chunk and records time to first token', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(server.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null)).toEqual([
      '',
      ...STREAM_TEXT,
      null,
    ]);
    expect(chunks.every((chunk) => chunk.choices.length === 1)).toBe(true);
    const span = await onlySpan();
    const {
      'tokenmeter.time_to_first_token_ms': ttft,
      'tokenmeter.output_tokens_per_s': speed,
      ...rest
    } = span.attributes;
    expect(rest).toEqual(
      expectedAttributes({
        'gen_ai.response.id': 'chatcmpl-test-2',
        'gen_ai.response.finish_reasons': ['stop'],
        'tokenmeter.streaming': true,
      }),
    );
    expect(ttft).toBeGreaterThanOrEqual(35);
    expect(speed).toBeGreaterThan(0);
    const metrics = await telemetry.collectMetrics();
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.operation.time_to_first_chunk'))).toEqual([
      {
        attributes: expect.objectContaining({ 'gen_ai.request.model': 'gpt-4o-mini' }),
        value: { count: 1, sum: expect.closeTo((ttft as number) / 1000, 5) },
      },
    ]);
  });

  it('traces the chat.completions.stream helper as one streamed call', async () => {
    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe(STREAM_TEXT.join(''));
    const span = await onlySpan();
    expect(span.attributes['tokenmeter.streaming']).toBe(true);
    expect(span.attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('passes the usage chunk through when the caller asked for it', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)!.usage?.prompt_tokens).toBe(1200);
    expect((await onlySpan()).attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('records no usage when the caller turned streamed usage off', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: false },
    });
    for await (const _chunk of stream) {
      // reading
    }
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o-mini-2025-08-07');
  });

  it('keeps retries of a 429 inside one successful span', async () => {
    server.failNext(429);
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.id).toBe('chatcmpl-test-1');
    expect(server.requests).toHaveLength(2);
    const span = await onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['tokenmeter.cost.usd']).toBe(miniCost);
  });

  it('records a 500 that outlasts the retries as one failed span and rethrows the client error', async () => {
    server.failNext(500, 3);
    const failure = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.requests).toHaveLength(3);
    const span = await onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('InternalServerError');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    const duration = pointsOf(
      metricNamed(await telemetry.collectMetrics(), 'gen_ai.client.operation.duration'),
    );
    expect(duration).toEqual([
      {
        attributes: expect.objectContaining({ 'error.type': 'InternalServerError' }),
        value: { count: 1, sum: expect.any(Number) },
      },
    ]);
  });

  it('records an answer whose body does not parse as one failed span and rethrows the parse error', async () => {
    server.truncateNextBody();
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    ).rejects.toMatchObject({ name: 'SyntaxError' });
    const span = await onlySpan();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('SyntaxError');
  });

  it('records a rate limit without retries as RateLimitError', async () => {
    server.failNext(429);
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages }, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect((await onlySpan()).attributes['error.type']).toBe('RateLimitError');
  });

  it('gives one span even when the client is instrumented twice', async () => {
    instrumentOpenAI(client);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(await telemetry.finishedSpans()).toHaveLength(1);
  });
});

describe('clients whose create returns a plain promise', () => {
  it('are observed with .then', async () => {
    const completion = {
      id: 'chatcmpl-plain',
      model: 'gpt-4o-mini-2025-08-07',
      choices: [{ finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5 },
    };
    const plain = instrumentOpenAI({
      baseURL: 'http://localhost:8080/v1',
      chat: { completions: { create: async (_params: unknown) => completion } },
    });
    expect(await plain.chat.completions.create({ model: 'gpt-4o-mini', messages })).toBe(
      completion,
    );
    const span = await onlySpan();
    expect(span.attributes).toEqual(
      expect.objectContaining({
        'gen_ai.response.id': 'chatcmpl-plain',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 5,
        'server.address': 'localhost',
        'server.port': 8080,
      }),
    );
  });
});

describe('Responses API', () => {
  it('records usage and cost of a response', async () => {
    const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Say hello' });
    expect(response.output_text).toBe(STREAM_TEXT.join(''));
    expect((await onlySpan()).attributes).toEqual(
      expectedAttributes({ 'gen_ai.response.id': 'resp_test_1' }),
    );
  });

  it('records a streamed response with time to first token', async () => {
    const stream = await client.responses.create({
      model: 'gpt-4o-mini',
      input: 'Say hello',
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual([
      'response.created',
      ...STREAM_TEXT.map(() => 'response.output_text.delta'),
      'response.completed',
    ]);
    const {
      'tokenmeter.time_to_first_token_ms': ttft,
      'tokenmeter.output_tokens_per_s': _speed,
      ...rest
    } = (await onlySpan()).attributes;
    expect(rest).toEqual(
      expectedAttributes({ 'gen_ai.response.id': 'resp_test_1', 'tokenmeter.streaming': true }),
    );
    expect(ttft).toBeGreaterThanOrEqual(35);
  });
});

describe('embeddings', () => {
  it('records input tokens and their cost', async () => {
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect((await onlySpan()).attributes).toEqual({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.response.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 0,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(server.baseURL).port),
      'tokenmeter.billing.mode': 'system',
      'tokenmeter.plan': 'pro',
      'tokenmeter.cost.usd': 0.000024,
      'tokenmeter.pricing.version': 'genai-prices@0.1.8',
    });
  });
});

describe('other OpenAI-compatible hosts', () => {
  it('records the configured provider and prices the host model', async () => {
    const llama = instrumentOpenAI(new OpenAI({ apiKey: 'k', baseURL: server.baseURL }), {
      provider: 'meta',
    });
    server.usage = {
      promptTokens: 1_000_000,
      cachedTokens: 0,
      completionTokens: 1_000_000,
      reasoningTokens: 0,
    };
    await llama.chat.completions.create({
      model: 'meta-llama/Llama-4-Scout-17B-16E-Instruct',
      messages,
    });
    const span = await onlySpan();
    expect(span.attributes['gen_ai.provider.name']).toBe('meta');
    // Together AI list price: 0.18 input + 0.59 output per million tokens
    expect(span.attributes['tokenmeter.cost.usd']).toBe(0.77);
  });
});

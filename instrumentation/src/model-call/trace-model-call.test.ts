import { SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { metricNamed, pointsOf, useTestTelemetry } from '../../test/support/telemetry-harness';
import { withAttribution } from '../attribution';
import { resetWarnings, setWarnHandler } from '../diagnostics';
import { setActiveCatalog } from '../active-catalog';
import { PricingCatalog } from '@tokenmeter/conventions';
import { traceModelCall, traceModelStream } from './trace-model-call';

const telemetry = useTestTelemetry();
const warnings: string[] = [];

beforeAll(() => {
  setWarnHandler((message) => warnings.push(message));
});
afterEach(async () => {
  warnings.length = 0;
  resetWarnings();
  setActiveCatalog(telemetry.tokenmeter.catalog);
});

const claude = { provider: 'anthropic', requestModel: 'claude-sonnet-4-5' };
const claudeUsage = {
  inputTokens: 2000,
  cachedInputTokens: 500,
  outputTokens: 1000,
  reasoningTokens: 400,
};
// 1500 × 3 + 500 × 0.30 + 600 × 15 + 400 × 15 USD per million tokens
const claudeCost = 0.01965;

async function onlySpan() {
  const spans = await telemetry.finishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('traceModelCall', () => {
  it('records the GenAI span with usage, cost and attribution', async () => {
    const result = await withAttribution(
      { userId: 'user-42', promptName: 'summarise', plan: 'free', billingMode: 'byok' },
      () =>
        traceModelCall(
          { ...claude, attributes: { 'gen_ai.request.temperature': 0.2 } },
          async (call) => {
            call.record({ responseModel: 'claude-sonnet-4-5-20250929', usage: claudeUsage });
            return 'answer';
          },
        ),
    );
    expect(result).toBe('answer');
    const span = await onlySpan();
    expect(span.name).toBe('chat claude-sonnet-4-5');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 1000,
      'gen_ai.usage.cache_read.input_tokens': 500,
      'gen_ai.usage.reasoning.output_tokens': 400,
      'enduser.id': 'user-42',
      'tokenmeter.prompt.name': 'summarise',
      'tokenmeter.plan': 'free',
      'tokenmeter.billing.mode': 'byok',
      'tokenmeter.cost.usd': claudeCost,
      'tokenmeter.pricing.version': 'genai-prices@0.1.8',
    });
  });

  it('records duration, token usage and cost metrics with bounded labels only', async () => {
    await withAttribution({ userId: 'user-42', promptName: 'summarise' }, () =>
      traceModelCall(claude, async () => 'ok', {
        outcome: () => ({ responseModel: 'claude-sonnet-4-5-20250929', usage: claudeUsage }),
      }),
    );
    const metrics = await telemetry.collectMetrics();
    const labels = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'tokenmeter.billing.mode': 'system',
      'tokenmeter.plan': 'pro',
      'tokenmeter.prompt.name': 'summarise',
    };
    const duration = pointsOf(metricNamed(metrics, 'gen_ai.client.operation.duration'));
    expect(duration).toEqual([
      { attributes: labels, value: { count: 1, sum: expect.any(Number) } },
    ]);
    expect(metricNamed(metrics, 'gen_ai.client.operation.duration').descriptor.unit).toBe('s');
    expect(pointsOf(metricNamed(metrics, 'gen_ai.client.token.usage'))).toEqual([
      { attributes: { ...labels, 'gen_ai.token.type': 'input' }, value: { count: 1, sum: 2000 } },
      { attributes: { ...labels, 'gen_ai.token.type': 'output' }, value: { count: 1, sum: 1000 } },
    ]);
    expect(pointsOf(metricNamed(metrics, 'tokenmeter.llm.cost.usd'))).toEqual([
      { attributes: labels, value: claudeCost },
    ]);
    expect(metrics.map((metric) => metric.descriptor.name).sort()).toEqual([
      'gen_ai.client.operation.duration',
      'gen_ai.client.token.usage',
      'tokenmeter.llm.cost.usd',
    ]);
  });

  it('uses the semconv duration buckets plus a 2 s boundary', async () => {
    await traceModelCall(claude, async () => 'ok');
    const duration = metricNamed(
      await telemetry.collectMetrics(),
      'gen_ai.client.operation.duration',
    );
    const point = duration.dataPoints[0]!.value as { buckets: { boundaries: number[] } };
    expect(point.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
  });

  it('rethrows the error unchanged and ends the span once, as failed', async () => {
    class QuotaExceeded extends Error {}
    const thrown = new QuotaExceeded('provider quota exceeded');
    await expect(traceModelCall(claude, async () => Promise.reject(thrown))).rejects.toBe(thrown);
    const span = await onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'provider quota exceeded' });
    expect(span.attributes['error.type']).toBe('QuotaExceeded');
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
    const duration = pointsOf(
      metricNamed(await telemetry.collectMetrics(), 'gen_ai.client.operation.duration'),
    );
    expect(duration).toEqual([
      {
        attributes: expect.objectContaining({ 'error.type': 'QuotaExceeded' }),
        value: { count: 1, sum: expect.any(Number) },
      },
    ]);
  });

  it('rethrows synchronous throws and non-Error values unchanged', async () => {
    await expect(
      traceModelCall(claude, () => {
        throw 'plain string';
      }),
    ).rejects.toBe('plain string');
    expect((await onlySpan()).attributes['error.type']).toBe('_OTHER');
  });

  it('throws a clear TypeError for a spec without provider or model', async () => {
    await expect(
      traceModelCall({ provider: '', requestModel: 'x' }, async () => 1),
    ).rejects.toThrow(
      'traceModelCall: spec.provider and spec.requestModel must be non-empty strings',
    );
    expect(await telemetry.finishedSpans()).toHaveLength(0);
  });

  it('never lets a failing outcome reader or pricing break the caller', async () => {
    await expect(
      traceModelCall(claude, async () => 'still fine', {
        outcome: () => {
          throw new Error('reader bug');
        },
      }),
    ).resolves.toBe('still fine');
    setActiveCatalog({
      price: () => {
        throw new Error('catalog bug');
      },
    } as unknown as PricingCatalog);
    await expect(
      traceModelCall(claude, async (call) => (call.record({ usage: claudeUsage }), 'fine too')),
    ).resolves.toBe('fine too');
    expect(await telemetry.finishedSpans()).toHaveLength(2);
    expect(warnings.some((w) => w.includes('reader bug'))).toBe(true);
    expect(warnings.some((w) => w.includes('catalog bug'))).toBe(true);
  });
});

describe('calls that share one attribution', () => {
  it('keep the names and labels of their own spec when the model or operation changes', async () => {
    const spec = { provider: 'openai', requestModel: 'gpt-4o-mini' };
    await withAttribution({ userId: 'user-7', promptName: 'summary' }, async () => {
      await traceModelCall(spec, async () => 1);
      spec.requestModel = 'gpt-4o';
      await traceModelCall(spec, async () => 2);
      await traceModelCall({ ...spec, operation: 'embeddings' }, async () => 3);
    });
    const spans = await telemetry.finishedSpans();
    expect(spans.map((span) => span.name)).toEqual([
      'chat gpt-4o-mini',
      'chat gpt-4o',
      'embeddings gpt-4o',
    ]);
    for (const span of spans) expect(span.attributes['enduser.id']).toBe('user-7');
    const points = pointsOf(
      metricNamed(await telemetry.collectMetrics(), 'gen_ai.client.operation.duration'),
    );
    expect(
      points.map((point) => [
        point.attributes['gen_ai.operation.name'],
        point.attributes['gen_ai.request.model'],
        point.attributes['tokenmeter.prompt.name'],
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['chat', 'gpt-4o-mini', 'summary'],
        ['chat', 'gpt-4o', 'summary'],
        ['embeddings', 'gpt-4o', 'summary'],
      ]),
    );
    expect(points).toHaveLength(3);
  });
});

describe('span attributes given with the spec', () => {
  it('are read again on every call unless the object is frozen', async () => {
    const attributes: Record<string, number> = { 'gen_ai.request.temperature': 0.1 };
    await traceModelCall({ ...claude, attributes }, async () => 'first');
    attributes['gen_ai.request.temperature'] = 0.9;
    await traceModelCall({ ...claude, attributes }, async () => 'second');
    const frozen = Object.freeze({ 'gen_ai.request.top_p': 0.5 });
    await traceModelCall({ ...claude, attributes: frozen }, async () => 'third');
    await traceModelCall({ ...claude, attributes: frozen, streaming: true }, async () => 'fourth');
    const spans = await telemetry.finishedSpans();
    expect(spans.map((span) => span.attributes['gen_ai.request.temperature'])).toEqual([
      0.1,
      0.9,
      undefined,
      undefined,
    ]);
    expect(spans.map((span) => span.attributes['gen_ai.request.top_p'])).toEqual([
      undefined,
      undefined,
      0.5,
      0.5,
    ]);
    expect(spans.map((span) => span.attributes['tokenmeter.streaming'])).toEqual([
      undefined,
      undefined,
      undefined,
      true,
    ]);
    expect(
      spans.every((span) => span.attributes['gen_ai.request.model'] === claude.requestModel),
    ).toBe(true);
  });
});

describe('failed calls', () => {
  it('share one frozen label set per error type in the duration metric', async () => {
    for (let i = 0; i < 3; i++)
      await traceModelCall(claude, async () => {
        throw new RangeError('boom');
      }).catch(() => undefined);
    const duration = pointsOf(
      metricNamed(await telemetry.collectMetrics(), 'gen_ai.client.operation.duration'),
    );
    expect(duration).toEqual([
      {
        attributes: expect.objectContaining({ 'error.type': 'RangeError' }),
        value: { count: 3, sum: expect.any(Number) },
      },
    ]);
  });
});

describe('token usage input', () => {
  it('drops negative and non-numeric counts with a warning and records the rest', async () => {
    await traceModelCall(claude, async (call) => {
      call.record({ usage: { inputTokens: -5, outputTokens: 10, cachedInputTokens: Number.NaN } });
    });
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(0);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(10);
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBeUndefined();
    expect(span.attributes['tokenmeter.cost.usd']).toBe(0.00015);
    expect(warnings).toEqual([
      'anthropic claude-sonnet-4-5: ignored inputTokens=-5 (token counts must be finite numbers >= 0)',
      'anthropic claude-sonnet-4-5: ignored cachedInputTokens=NaN (token counts must be finite numbers >= 0)',
    ]);
  });

  it('records no usage, cost or token metrics when no usage is reported', async () => {
    await traceModelCall(claude, async (call) => call.record({ usage: {} }));
    const span = await onlySpan();
    expect(
      Object.keys(span.attributes).filter(
        (key) => key.startsWith('gen_ai.usage') || key.startsWith('tokenmeter.cost'),
      ),
    ).toEqual([]);
    const names = (await telemetry.collectMetrics()).map((metric) => metric.descriptor.name);
    expect(names).toEqual(['gen_ai.client.operation.duration']);
  });

  it('caps cached and reasoning counts that exceed the totals they belong to', async () => {
    await traceModelCall(claude, async (call) =>
      call.record({
        usage: { inputTokens: 100, cachedInputTokens: 150, outputTokens: 10, reasoningTokens: 20 },
      }),
    );
    expect((await onlySpan()).attributes).toMatchObject({
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 10,
    });
    expect(warnings).toHaveLength(2);
  });
});

describe('unknown models', () => {
  it('are never priced at 0: their tokens go to tokenmeter.llm.unpriced.tokens and are logged once', async () => {
    const spec = { provider: 'acme', requestModel: 'acme-large' };
    for (let i = 0; i < 2; i++)
      await traceModelCall(spec, async (call) =>
        call.record({ usage: { inputTokens: 70, outputTokens: 30 } }),
      );
    for (const span of await telemetry.finishedSpans()) {
      expect(span.attributes['tokenmeter.cost.usd']).toBeUndefined();
      expect(span.attributes['tokenmeter.pricing.version']).toBeUndefined();
    }
    const metrics = await telemetry.collectMetrics();
    expect(pointsOf(metricNamed(metrics, 'tokenmeter.llm.unpriced.tokens'))).toEqual([
      {
        attributes: {
          'gen_ai.provider.name': 'acme',
          'gen_ai.request.model': 'acme-large',
          'gen_ai.token.type': 'input',
        },
        value: 140,
      },
      {
        attributes: {
          'gen_ai.provider.name': 'acme',
          'gen_ai.request.model': 'acme-large',
          'gen_ai.token.type': 'output',
        },
        value: 60,
      },
    ]);
    expect(
      metrics.find((metric) => metric.descriptor.name === 'tokenmeter.llm.cost.usd'),
    ).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'no price for acme model acme-large in pricing catalog genai-prices@0.1.8',
    );
  });

  it('are priced by the requested name when the answering snapshot is unknown', async () => {
    await traceModelCall({ provider: 'openai', requestModel: 'gpt-4o-mini' }, async (call) =>
      call.record({
        responseModel: 'gpt-4o-mini-custom-ft',
        usage: { inputTokens: 1_000_000, outputTokens: 0 },
      }),
    );
    expect((await onlySpan()).attributes['tokenmeter.cost.usd']).toBe(0.15);
  });
});

describe('enduser.id', () => {
  it('never becomes a metric label, whatever the caller sets', async () => {
    await withAttribution({ userId: 'user-secret' }, () =>
      traceModelCall(
        { ...claude, attributes: { 'enduser.id': 'user-secret-2', 'user.id': 'user-secret-3' } },
        async (call) =>
          call.record({ usage: claudeUsage, attributes: { 'enduser.id': 'user-secret-4' } }),
      ),
    );
    const stream = traceModelStream(claude, async function* () {
      yield 'chunk';
    });
    await withAttribution({ userId: 'user-secret' }, () => stream[Symbol.asyncIterator]().next());
    // even a direct recording on a Tokenmeter instrument by other code is filtered by the views
    const { metrics } = await import('@opentelemetry/api');
    metrics
      .getMeter('other-library')
      .createHistogram('gen_ai.client.operation.duration', { unit: 's' })
      .record(1, { 'enduser.id': 'user-secret-5', 'gen_ai.request.model': 'x' });
    const collected = await telemetry.collectMetrics();
    expect(collected.length).toBeGreaterThanOrEqual(4);
    for (const metric of collected) {
      for (const point of metric.dataPoints) {
        expect(Object.keys(point.attributes)).not.toContain('enduser.id');
        expect(Object.keys(point.attributes)).not.toContain('user.id');
        expect(JSON.stringify(point.attributes)).not.toContain('user-secret');
      }
    }
  });
});

describe('traceModelStream', () => {
  const chunks = [
    { text: '' },
    { text: 'Hel' },
    { text: 'lo' },
    { text: '', usage: { inputTokens: 2000, outputTokens: 1000 } },
  ];

  async function* slowSource() {
    for (const chunk of chunks) {
      await new Promise((resolve) => setTimeout(resolve, chunk.text === 'Hel' ? 30 : 2));
      yield chunk;
    }
  }

  it('yields every chunk unchanged and records time to first token and output speed', async () => {
    const seen: unknown[] = [];
    for await (const chunk of traceModelStream(claude, () => slowSource(), {
      isOutput: (chunk) => chunk.text !== '',
      onChunk: (chunk, call) => chunk.usage && call.record({ usage: chunk.usage }),
    })) {
      seen.push(chunk);
    }
    expect(seen).toEqual(chunks);
    const span = await onlySpan();
    const ttft = span.attributes['tokenmeter.time_to_first_token_ms'] as number;
    const durationMs = span.duration[0] * 1e3 + span.duration[1] / 1e6;
    expect(ttft).toBeGreaterThanOrEqual(25);
    expect(ttft).toBeLessThanOrEqual(durationMs);
    expect(span.attributes['tokenmeter.streaming']).toBe(true);
    expect(span.attributes['tokenmeter.output_tokens_per_s']).toBeGreaterThan(0);
    expect(span.attributes['tokenmeter.cost.usd']).toBe(0.021);
    const ttfc = pointsOf(
      metricNamed(await telemetry.collectMetrics(), 'gen_ai.client.operation.time_to_first_chunk'),
    );
    expect(ttfc).toEqual([
      {
        attributes: expect.objectContaining({ 'gen_ai.request.model': 'claude-sonnet-4-5' }),
        value: { count: 1, sum: expect.closeTo(ttft / 1000, 5) },
      },
    ]);
  });

  it("pulls the first chunk in the call's context (a lazy source sends its request then)", async () => {
    const activeAtPull: (Span | undefined)[] = [];
    const lazySource: AsyncIterable<{ text: string }> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          activeAtPull.push(trace.getActiveSpan());
          return activeAtPull.length > 2
            ? { done: true, value: undefined }
            : { done: false, value: { text: 'x' } };
        },
      }),
    };
    let callSpan: Span | undefined;
    for await (const _chunk of traceModelStream(claude, (call) => {
      callSpan = call.span;
      return lazySource;
    })) {
      // reading
    }
    expect(callSpan).toBeDefined();
    expect(activeAtPull[0]).toBe(callSpan);
    expect(activeAtPull).toHaveLength(3);
  });

  it('ends the span when the consumer stops early', async () => {
    let released = false;
    async function* source() {
      try {
        yield* chunks;
      } finally {
        released = true;
      }
    }
    for await (const chunk of traceModelStream(claude, () => source())) {
      if (chunk.text === 'Hel') break;
    }
    expect(released).toBe(true);
    expect((await onlySpan()).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends the span and releases the source when the consumer stops while the stream opens', async () => {
    let released = false;
    async function* source() {
      try {
        yield* chunks;
      } finally {
        released = true;
      }
    }
    const iterator = traceModelStream(claude, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const opened = source();
      await opened.next(); // started, so that its return() runs the finally
      return { [Symbol.asyncIterator]: () => opened };
    })[Symbol.asyncIterator]();
    const first = iterator.next();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(await first).toEqual({ done: true, value: undefined });
    expect(released).toBe(true);
    expect((await onlySpan()).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('rethrows a failure of the stream unchanged with the span ended once as failed', async () => {
    const broken = new RangeError('connection reset mid-stream');
    async function* source() {
      yield { text: 'Hel' };
      throw broken;
    }
    const consume = async () => {
      for await (const _chunk of traceModelStream(claude, () => source())) {
        // reading
      }
    };
    await expect(consume()).rejects.toBe(broken);
    const span = await onlySpan();
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'connection reset mid-stream',
    });
  });

  it('rethrows a failure to open the stream', async () => {
    const refused = new Error('refused');
    const stream = traceModelStream(claude, async () => Promise.reject(refused));
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBe(refused);
    expect((await onlySpan()).status.code).toBe(SpanStatusCode.ERROR);
  });
});

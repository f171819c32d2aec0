import { SpanStatusCode } from '@opentelemetry/api';
import { useTestTelemetry } from '../../test/support/telemetry-harness';
import { resetWarnings, setWarnHandler } from '../diagnostics';
import { startModelCall } from './model-call';
import { observeStream } from './observed-stream';

const telemetry = useTestTelemetry();
const warnings: string[] = [];

beforeAll(() => {
  setWarnHandler((message) => warnings.push(message));
});
afterEach(() => {
  warnings.length = 0;
  resetWarnings();
});

const spec = { provider: 'anthropic', requestModel: 'claude-sonnet-4-5', streaming: true };

interface Chunk {
  text: string;
  usage?: { inputTokens: number; outputTokens: number };
}

const chunks: Chunk[] = [
  { text: '' },
  { text: 'Hel' },
  { text: 'lo' },
  { text: '', usage: { inputTokens: 2000, outputTokens: 1000 } },
];

/** A source whose chunks arrive one tick apart, that says whether it was released early. */
function source(items: Chunk[] = chunks) {
  const state = { released: false, pulls: 0 };
  async function* generate() {
    try {
      for (const item of items) {
        state.pulls++;
        await new Promise((resolve) => setImmediate(resolve));
        yield item;
      }
    } finally {
      state.released = true;
    }
  }
  return { iterator: generate(), state };
}

async function onlySpan() {
  const spans = await telemetry.finishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe('observeStream', () => {
  it('answers next() calls made before the previous one settled in order, each chunk once', async () => {
    const call = startModelCall(spec)!;
    const { iterator } = source();
    const observed = observeStream(call, iterator, {
      onChunk: (chunk, recorder) => chunk.usage && recorder.record({ usage: chunk.usage }),
    });
    // as Stream.tee() does: several pulls without waiting
    const steps = await Promise.all([1, 2, 3, 4, 5, 6].map(() => observed.next()));
    expect(steps).toEqual([
      ...chunks.map((value) => ({ done: false, value })),
      { done: true, value: undefined },
      { done: true, value: undefined },
    ]);
    const span = await onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2000);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('skips the chunks that are not visible and still reads them', async () => {
    const call = startModelCall(spec)!;
    const read: Chunk[] = [];
    const seen: Chunk[] = [];
    for await (const chunk of observeStream(call, source().iterator, {
      onChunk: (chunk) => read.push(chunk),
      isVisible: (chunk) => chunk.text !== '',
    }))
      seen.push(chunk);
    expect(read).toEqual(chunks);
    expect(seen).toEqual([{ text: 'Hel' }, { text: 'lo' }]);
    expect(await telemetry.finishedSpans()).toHaveLength(1);
  });

  it('ends the call and releases the source when the consumer stops early', async () => {
    const call = startModelCall(spec)!;
    const { iterator, state } = source();
    const observed = observeStream(call, iterator);
    await observed.next();
    expect(await observed.return!()).toEqual({ done: true, value: undefined });
    expect(state.released).toBe(true);
    expect(await observed.next()).toEqual({ done: true, value: undefined });
    expect((await onlySpan()).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('reports a failure thrown by a reader of the chunks and passes every chunk on', async () => {
    const call = startModelCall(spec)!;
    const seen: Chunk[] = [];
    for await (const chunk of observeStream(call, source().iterator, {
      onChunk: () => {
        throw new Error('reader bug');
      },
    }))
      seen.push(chunk);
    expect(seen).toEqual(chunks);
    expect(warnings).toEqual([expect.stringContaining('reader bug')]);
    expect((await onlySpan()).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends the call as failed when the source throws synchronously, once', async () => {
    const call = startModelCall(spec)!;
    const broken = new TypeError('not iterable today');
    const observed = observeStream(call, {
      next: () => {
        throw broken;
      },
    });
    await expect(observed.next()).rejects.toBe(broken);
    expect(await observed.next()).toEqual({ done: true, value: undefined });
    const span = await onlySpan();
    expect(span.attributes['error.type']).toBe('TypeError');
  });
});

import { context, trace } from '@opentelemetry/api';
import { reportInternalError } from '../diagnostics';
import {
  startModelCall,
  type ModelCall,
  type ModelCallOutcome,
  type ModelCallRecorder,
  type ModelCallSpec,
} from './model-call';

function checkSpec(spec: ModelCallSpec, fn: string): void {
  if (
    !spec ||
    typeof spec.provider !== 'string' ||
    spec.provider === '' ||
    typeof spec.requestModel !== 'string' ||
    spec.requestModel === ''
  ) {
    throw new TypeError(`${fn}: spec.provider and spec.requestModel must be non-empty strings`);
  }
}

const noopRecorder: ModelCallRecorder = {
  record: () => undefined,
  markFirstChunk: () => undefined,
  fail: () => undefined,
  get span() {
    return trace.wrapSpanContext({
      traceId: '0'.repeat(32),
      spanId: '0'.repeat(16),
      traceFlags: 0,
    });
  },
};

export interface TraceModelCallOptions<T> {
  /** Reads the answering model and token usage from the result (errors here are reported, not thrown). */
  outcome?: (result: T) => ModelCallOutcome | undefined;
}

/**
 * Runs one model call inside a GenAI span and records its metrics and cost. `fn` may report what it
 * learns through the recorder, or `options.outcome` reads it from the result. Errors thrown by `fn`
 * are rethrown unchanged after the span ends as failed.
 */
export function traceModelCall<T>(
  spec: ModelCallSpec,
  fn: (call: ModelCallRecorder) => Promise<T> | T,
  options?: TraceModelCallOptions<T>,
): Promise<T> {
  try {
    checkSpec(spec, 'traceModelCall');
  } catch (error) {
    return Promise.reject(error);
  }
  const call = startModelCall(spec);
  if (!call) return Promise.resolve().then(() => fn(noopRecorder));
  let pending: Promise<T>;
  try {
    // Promise.resolve returns the caller's own promise when it is one (no extra promise per call)
    pending = Promise.resolve(context.with(call.context, fn, undefined, call));
  } catch (error) {
    call.end(error);
    return Promise.reject(error);
  }
  return pending.then(
    (result) => {
      if (options?.outcome) {
        try {
          const outcome = options.outcome(result);
          if (outcome) call.record(outcome);
        } catch (error) {
          reportInternalError('traceModelCall outcome', error);
        }
      }
      call.end();
      return result;
    },
    (error: unknown) => {
      call.end(error);
      throw error;
    },
  );
}

export interface TraceModelStreamOptions<C> {
  /** Reads each chunk: report the answering model and usage via call.record (errors are reported, not thrown). */
  onChunk?: (chunk: C, call: ModelCallRecorder) => void;
  /** Whether a chunk carries output (default: every chunk); the first such chunk sets time to first token. */
  isOutput?: (chunk: C) => boolean;
  /** Whether the caller should see a chunk (default: all); used to hide chunks the instrumentation asked for. */
  isVisible?: (chunk: C) => boolean;
}

/**
 * Yields the chunks of `iterator` unchanged while recording them on `call`; ends the call when the
 * stream completes, fails, or the consumer stops early (break). `firstPullInContext`: the first
 * chunk is pulled in the call's context, for sources that only send their request then; the
 * later chunks only read an answer already under way, outside it (no context switch per chunk).
 */
export async function* observeStream<C>(
  call: ModelCall,
  iterator: AsyncIterator<C>,
  options: TraceModelStreamOptions<C> = {},
  firstPullInContext = false,
): AsyncGenerator<C, void, undefined> {
  const { onChunk, isOutput, isVisible } = options;
  let failed = false;
  let inContext = firstPullInContext;
  try {
    for (;;) {
      let step: IteratorResult<C>;
      if (inContext) {
        inContext = false;
        step = await context.with(call.context, iterator.next, iterator);
      } else step = await iterator.next();
      if (step.done) break;
      const chunk = step.value;
      let visible = true;
      try {
        if (!isOutput || isOutput(chunk)) call.markFirstChunk();
        onChunk?.(chunk, call);
        if (isVisible) visible = isVisible(chunk);
      } catch (error) {
        reportInternalError('stream chunk', error);
      }
      if (visible) yield chunk;
    }
  } catch (error) {
    failed = true;
    call.end(error);
    throw error;
  } finally {
    if (!failed) {
      call.end();
      // the consumer stopped early: let the source release its connection
      await iterator.return?.();
    }
  }
}

/**
 * Traces a streamed model call: `open` starts the stream (its errors end the span as failed and
 * are rethrown); the returned iterable yields the same chunks and ends the span when consumed.
 */
export function traceModelStream<C>(
  spec: ModelCallSpec,
  open: (call: ModelCallRecorder) => AsyncIterable<C> | Promise<AsyncIterable<C>>,
  options?: TraceModelStreamOptions<C>,
): AsyncIterable<C> {
  checkSpec(spec, 'traceModelStream');
  return {
    [Symbol.asyncIterator](): AsyncIterator<C> {
      const call = startModelCall({ ...spec, streaming: true });
      if (!call) return opened(open(noopRecorder));
      return (async function* () {
        let source: AsyncIterable<C>;
        try {
          source = await context.with(call.context, open, undefined, call);
        } catch (error) {
          call.end(error);
          throw error;
        }
        yield* observeStream(call, source[Symbol.asyncIterator](), options, true);
      })();
    },
  };
}

async function* opened<C>(source: AsyncIterable<C> | Promise<AsyncIterable<C>>): AsyncGenerator<C> {
  yield* await source;
}

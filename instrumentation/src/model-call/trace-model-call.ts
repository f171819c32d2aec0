import { context, trace } from '@opentelemetry/api';
import { reportInternalError } from '../diagnostics';
import { observeStream, type TraceModelStreamOptions } from './observed-stream';
import {
  startModelCall,
  type ModelCall,
  type ModelCallOutcome,
  type ModelCallRecorder,
  type ModelCallSpec,
} from './model-call';

export type { TraceModelStreamOptions } from './observed-stream';

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
      return new OpeningStream(call, open, options);
    },
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Opens the source at the first next(), in the call's context, then hands every step to the
 * observed stream (not an async generator around it: that would add its promises to every chunk).
 */
class OpeningStream<C> implements AsyncIterator<C> {
  private observed: AsyncIterator<C> | undefined;
  private opening: Promise<AsyncIterator<C>> | undefined;
  private closed = false;

  constructor(
    private readonly call: ModelCall,
    private readonly open: (
      call: ModelCallRecorder,
    ) => AsyncIterable<C> | Promise<AsyncIterable<C>>,
    private readonly options: TraceModelStreamOptions<C> | undefined,
  ) {}

  next(): Promise<IteratorResult<C>> {
    if (this.observed) return this.observed.next();
    if (this.closed) return Promise.resolve(DONE);
    this.opening ??= this.openSource();
    return this.opening.then((observed) => observed.next());
  }

  return(value?: unknown): Promise<IteratorResult<C>> {
    if (this.observed) return this.observed.return!(value);
    if (!this.closed) {
      this.closed = true;
      this.call.end();
    }
    return Promise.resolve({ done: true, value } as IteratorReturnResult<C>);
  }

  private async openSource(): Promise<AsyncIterator<C>> {
    const call = this.call;
    try {
      const source = await context.with(call.context, this.open, undefined, call);
      const iterator = source[Symbol.asyncIterator]();
      if (this.closed) {
        // the consumer stopped while the stream was opening: release it
        await iterator.return?.();
        return { next: () => Promise.resolve(DONE) };
      }
      this.observed = observeStream(call, iterator, this.options, true);
      return this.observed;
    } catch (error) {
      this.closed = true;
      call.end(error);
      throw error;
    }
  }
}

async function* opened<C>(source: AsyncIterable<C> | Promise<AsyncIterable<C>>): AsyncGenerator<C> {
  yield* await source;
}

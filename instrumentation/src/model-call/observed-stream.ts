import { context } from '@opentelemetry/api';
import { reportInternalError } from '../diagnostics';
import type { ModelCall, ModelCallRecorder } from './model-call';

export interface TraceModelStreamOptions<C> {
  /** Reads each chunk: report the answering model and usage via call.record (errors are reported, not thrown). */
  onChunk?: (chunk: C, call: ModelCallRecorder) => void;
  /** Whether a chunk carries output (default: every chunk); the first such chunk sets time to first token. */
  isOutput?: (chunk: C) => boolean;
  /** Whether the caller should see a chunk (default: all); used to hide chunks the instrumentation asked for. */
  isVisible?: (chunk: C) => boolean;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The chunks of a source iterator, unchanged, recorded on a model call; ends the call when the
 * source completes or fails, or the consumer stops early (return).
 *
 * Written by hand rather than as an async generator: each chunk then costs one promise (the
 * `.then` on the source's step, whose result object is passed on as it is) where a generator's
 * await and yield make four or five, each an async-hook call under AsyncLocalStorage.
 */
class ObservedStream<C> implements AsyncIterableIterator<C> {
  private finished = false;
  /** next() calls not answered yet: a call made while another is under way waits for it. */
  private waiting = 0;
  private last: Promise<IteratorResult<C>> | undefined;
  private readonly onChunk: TraceModelStreamOptions<C>['onChunk'];
  private readonly isOutput: TraceModelStreamOptions<C>['isOutput'];
  private readonly isVisible: TraceModelStreamOptions<C>['isVisible'];

  constructor(
    private readonly call: ModelCall,
    private readonly source: AsyncIterator<C>,
    options: TraceModelStreamOptions<C>,
    private inContext: boolean,
  ) {
    this.onChunk = options.onChunk;
    this.isOutput = options.isOutput;
    this.isVisible = options.isVisible;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<C>> {
    const step = this.waiting++ > 0 ? this.last!.then(this.pullNext, this.pullNext) : this.pull();
    this.last = step;
    return step;
  }

  return(value?: unknown): Promise<IteratorResult<C>> {
    const result = { done: true, value } as IteratorReturnResult<C>;
    if (this.finished) return Promise.resolve(result);
    this.finished = true;
    this.call.end();
    // the consumer stopped early: let the source release its connection
    try {
      const released = this.source.return?.();
      return released ? Promise.resolve(released).then(() => result) : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  throw(error?: unknown): Promise<IteratorResult<C>> {
    if (!this.finished) {
      this.finished = true;
      this.call.end(error);
    }
    return Promise.reject(error);
  }

  private readonly pullNext = (): Promise<IteratorResult<C>> => this.pull();

  /** The next visible chunk of the source (or the end); settles one waiting next() call. */
  private pull(): Promise<IteratorResult<C>> {
    if (this.finished) {
      this.waiting--;
      return Promise.resolve(DONE);
    }
    let step: Promise<IteratorResult<C>>;
    try {
      if (this.inContext) {
        // the first chunk is pulled in the call's context, for sources that only send their request then
        this.inContext = false;
        step = context.with(this.call.context, this.source.next, this.source);
      } else step = this.source.next();
    } catch (error) {
      return Promise.reject(this.failed(error));
    }
    return Promise.resolve(step).then(this.onStep, this.onError);
  }

  private readonly onStep = (
    step: IteratorResult<C>,
  ): IteratorResult<C> | Promise<IteratorResult<C>> => {
    if (this.finished) {
      this.waiting--;
      return DONE;
    }
    if (step.done) {
      this.finished = true;
      this.waiting--;
      this.call.end();
      return step;
    }
    const chunk = step.value;
    let visible = true;
    try {
      if (!this.isOutput || this.isOutput(chunk)) this.call.markFirstChunk();
      this.onChunk?.(chunk, this.call);
      if (this.isVisible) visible = this.isVisible(chunk);
    } catch (error) {
      reportInternalError('stream chunk', error);
    }
    if (!visible) return this.pull();
    this.waiting--;
    return step;
  };

  private readonly onError = (error: unknown): never => {
    throw this.failed(error);
  };

  private failed(error: unknown): unknown {
    this.waiting--;
    if (!this.finished) {
      this.finished = true;
      this.call.end(error);
    }
    return error;
  }
}

/**
 * Yields the chunks of `iterator` unchanged while recording them on `call`; ends the call when the
 * stream completes, fails, or the consumer stops early (return). `firstPullInContext`: the first
 * chunk is pulled in the call's context, for sources that only send their request then; the
 * later chunks only read an answer already under way, outside it (no context switch per chunk).
 */
export function observeStream<C>(
  call: ModelCall,
  iterator: AsyncIterator<C>,
  options: TraceModelStreamOptions<C> = {},
  firstPullInContext = false,
): AsyncIterableIterator<C> {
  return new ObservedStream(call, iterator, options, firstPullInContext);
}

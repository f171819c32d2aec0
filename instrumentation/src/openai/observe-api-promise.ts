// Observes what the openai client's APIPromise yields without making the client do anything the
// caller does not ask for: the answer is read when the caller's await (or .then, .withResponse(),
// a helper's _thenUnwrap) parses it, never earlier, and .asResponse() keeps an unread body.
//
// The caller gets a new APIPromise of a subclass of the client's own APIPromise class, built from
// the original's response promise and parse step: the client's promise is never modified. (Setting
// a property on it, e.g. replacing its parse step, made ≈ 4.5 kB more per call survive the young
// generation on Node 20 — the largest part of the instrumentation's cost in the peer benchmark;
// docs/benchmarks.md.)

/** What the openai client (v6) returns from create(): a Promise whose parse runs on the first .then. */
interface APIPromiseLike {
  responsePromise: Promise<unknown>;
  parseResponse: ParseStep;
  asResponse(): Promise<unknown>;
}

type ParseStep = (this: unknown, client: unknown, props: unknown) => unknown;

/** The openai APIPromise constructor (v5, v6): client, response promise, parse step. */
type APIPromiseClass = new (
  client: unknown,
  responsePromise: Promise<unknown>,
  parseResponse: ParseStep,
) => APIPromiseLike;

export interface APIPromiseObserver {
  /** The parsed answer (for a stream: the Stream, before the caller iterates it). */
  onResult(result: unknown): void;
  /** The request or the parse failed. */
  onError(error: unknown): void;
  /** The caller took the raw Response (asResponse) and will not have it parsed. */
  onUnparsedResponse(): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** An observed promise: what its parse step needs (kept on the promise, no other object per call). */
interface ObservedAPIPromise extends APIPromiseLike {
  readonly observer: APIPromiseObserver;
  /** The client's own parse step. */
  readonly originalParse: ParseStep;
  /** Whether the answer was asked to be parsed (else asResponse() took it raw). */
  parsing: boolean;
}

// The parse step of every observed promise: the original one, then the observer, before the
// caller's continuation runs (so a stream is wrapped before anyone iterates it). A plain function
// with one .then, not an async function: under AsyncLocalStorage (async hooks on Node 20) every
// promise costs a hook call, and an async function with an await makes two where .then makes one.
function observedParse(this: ObservedAPIPromise, client: unknown, props: unknown): unknown {
  const observer = this.observer;
  this.parsing = true;
  let parsed: unknown;
  try {
    parsed = this.originalParse.call(this, client, props);
  } catch (error) {
    observer.onError(error);
    throw error;
  }
  if (!isThenable(parsed)) {
    observer.onResult(parsed);
    return parsed;
  }
  return parsed.then(
    (result) => {
      observer.onResult(result);
      return result;
    },
    (error: unknown) => {
      observer.onError(error);
      throw error;
    },
  );
}

// A failed request never reaches the parse step: seen on a branch of the response promise, so the
// caller's path has no extra promise or tick.
function observeFailure(response: Promise<unknown>, observer: APIPromiseObserver): void {
  response.then(undefined, (error: unknown) => observer.onError(error));
}

/** The subclass: client, response promise, observer and the client's parse step. */
type ObservedAPIPromiseClass = new (
  client: unknown,
  responsePromise: Promise<unknown>,
  observer: APIPromiseObserver,
  parse: ParseStep,
) => ObservedAPIPromise;

// One subclass per APIPromise class met (normally one per process).
const observedClasses = new WeakMap<APIPromiseClass, ObservedAPIPromiseClass>();

function observedClassOf(base: APIPromiseClass): ObservedAPIPromiseClass {
  let observed = observedClasses.get(base);
  if (!observed) {
    observed = class extends base implements ObservedAPIPromise {
      readonly observer: APIPromiseObserver;
      readonly originalParse: ParseStep;
      parsing = false;

      constructor(
        client: unknown,
        response: Promise<unknown>,
        observer: APIPromiseObserver,
        parse: ParseStep,
      ) {
        super(client, response, observedParse as ParseStep);
        this.observer = observer;
        this.originalParse = parse;
      }

      override asResponse(): Promise<unknown> {
        // withResponse() asks for the parse first, so it starts before this check runs
        this.responsePromise.then(
          () => {
            if (!this.parsing) this.observer.onUnparsedResponse();
          },
          () => {}, // observed by observeFailure
        );
        return super.asResponse();
      }
    };
    observedClasses.set(base, observed);
  }
  return observed;
}

/**
 * An APIPromise that answers like `promise` and reports to `observer`, or undefined when `promise`
 * is not an openai APIPromise (the caller then observes it with .then). `client` is the openai
 * client that made the request (the APIPromise constructor takes it).
 */
export function observeAPIPromise(
  promise: unknown,
  client: unknown,
  observer: APIPromiseObserver,
): PromiseLike<unknown> | undefined {
  const api = promise as Partial<APIPromiseLike> | undefined;
  const base = (promise as { constructor?: unknown } | undefined)?.constructor;
  if (
    !client ||
    typeof base !== 'function' ||
    typeof api?.parseResponse !== 'function' ||
    typeof api.asResponse !== 'function' ||
    !isThenable(api.responsePromise)
  )
    return undefined;
  const Observed = observedClassOf(base as APIPromiseClass);
  observeFailure(api.responsePromise, observer);
  return new Observed(
    client,
    api.responsePromise,
    observer,
    api.parseResponse,
  ) as unknown as PromiseLike<unknown>;
}

// Observes what the openai client's APIPromise yields without making the client do anything the
// caller does not ask for: the answer is read when the caller's await (or .then, .withResponse())
// parses it, never earlier, and .asResponse() keeps an unread body.

/** What the openai client (v6) returns from create(): a Promise whose parse runs on the first .then. */
interface APIPromiseLike {
  responsePromise?: unknown;
  parseResponse?: (this: unknown, client: unknown, props: unknown) => unknown;
  asResponse?: (this: unknown) => unknown;
}

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

/**
 * Hooks `observer` into an openai APIPromise, or returns false when `promise` is not one (the
 * caller then observes it with .then). The hooks are the promise's own parse step (which the
 * client runs once, for the first consumer) and a rejection handler on its response promise.
 */
export function observeAPIPromise(promise: unknown, observer: APIPromiseObserver): boolean {
  const api = promise as APIPromiseLike;
  const parse = api.parseResponse;
  const response = api.responsePromise;
  const asResponse = api.asResponse;
  if (typeof parse !== 'function' || typeof asResponse !== 'function' || !isThenable(response))
    return false;
  let parsing = false;
  api.parseResponse = function (client, props) {
    parsing = true;
    const parsed = parse.call(this, client, props);
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
  };
  // A failed request never reaches the parse step.
  response.then(undefined, (error: unknown) => observer.onError(error));
  api.asResponse = function () {
    // withResponse() asks for the parse first, so it starts before this check runs
    response.then(() => {
      if (!parsing) observer.onUnparsedResponse();
    });
    return asResponse.call(this);
  };
  return true;
}

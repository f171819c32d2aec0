/** A request the sink refuses for what it is (HTTP 4xx); the message tells the sender why. */
export class PayloadError extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

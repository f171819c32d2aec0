import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ByteBudget } from './byte-budget';

/** A body the sink does not read to its end: the HTTP status and why. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 415 | 503,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

export interface BodyLimits {
  /** Largest body after decompression (413 above). */
  maxBodyBytes: number;
  /** Slowest average upload accepted once `rateGraceMs` have passed (408 below). */
  minBytesPerSecond: number;
  rateGraceMs: number;
}

/**
 * A body read within its budget. take() hands the bytes over once (to the decoder, so that a request
 * waiting for its commit no longer keeps them); release() gives its share of the budget back once the
 * request is answered (by then its rows, as COPY text, have taken the body's place).
 */
export interface HeldBody {
  take(): Buffer;
  release(): void;
}

const RATE_CHECK_MS = 1000;

// Output in 64 KiB chunks rather than zlib's 16 KiB: a request of a few MB decompresses in a quarter
// of the round trips to the thread pool (each costs the sink's one thread a callback and a Buffer).
const INFLATE_OPTIONS = { chunkSize: 64 * 1024 };

function decompressorFor(contentEncoding: string | undefined): Transform | undefined {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip(INFLATE_OPTIONS);
  if (encoding === 'deflate') return createInflate(INFLATE_OPTIONS);
  if (encoding === 'br') return createBrotliDecompress(INFLATE_OPTIONS);
  throw new BodyError(
    415,
    `unsupported Content-Encoding "${contentEncoding}": send gzip, deflate, br or none`,
  );
}

/**
 * Reads a request body, decompressing it as it arrives, under three bounds decided before anything is
 * decoded: its size after decompression (413), the bytes all bodies hold at once (`budget`: the
 * request holds its Content-Length from the start and its decompressed bytes beyond that as they
 * arrive; 503 when over), and a floor on the upload rate (408), so that a slow sender does not hold
 * memory or a connection for long. On failure whatever the body held is given back.
 */
export function readBody(
  req: IncomingMessage,
  limits: BodyLimits,
  budget: ByteBudget,
): Promise<HeldBody> {
  return new Promise((resolve, reject) => {
    let held = 0;
    let settled = false;
    const take = (bytes: number): boolean => {
      if (!budget.tryTake(bytes, held)) return false;
      held += bytes;
      return true;
    };
    const release = (): void => {
      budget.give(held);
      held = 0;
    };

    // A refused body is read on and thrown away, undecoded, so that the sender, still sending,
    // gets the answer rather than a reset connection; a too slow sender's connection is closed instead.
    const refuse = (error: BodyError): void => {
      if (error.status !== 408) req.resume();
      reject(error);
    };

    let decompressor: Transform | undefined;
    try {
      decompressor = decompressorFor(req.headers['content-encoding']);
    } catch (error) {
      refuse(error as BodyError);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limits.maxBodyBytes) {
      refuse(tooLarge(limits));
      return;
    }
    if (Number.isFinite(declared) && !take(declared)) {
      refuse(overBudget(budget));
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0; // after decompression
    let received = 0; // as sent
    const startedAt = Date.now();

    const fail = (error: BodyError): void => {
      if (settled) return;
      settled = true;
      clearInterval(rateCheck);
      req.unpipe();
      decompressor?.destroy();
      chunks.length = 0;
      release();
      refuse(error);
    };
    const rateCheck = setInterval(() => {
      const elapsedMs = Date.now() - startedAt;
      if (
        elapsedMs >= limits.rateGraceMs &&
        (received * 1000) / elapsedMs < limits.minBytesPerSecond
      ) {
        fail(
          new BodyError(
            408,
            `body arriving slower than ${limits.minBytesPerSecond} bytes/s (TOKENMETER_SINK_MIN_BODY_BYTES_PER_S): ${received} bytes in ${(elapsedMs / 1000).toFixed(1)} s`,
          ),
        );
      }
    }, RATE_CHECK_MS);
    rateCheck.unref();

    const onData = (chunk: Buffer): void => {
      if (settled) return;
      size += chunk.length;
      if (size > limits.maxBodyBytes) return fail(tooLarge(limits));
      if (size > held && !take(size - held)) return fail(overBudget(budget));
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      if (settled) return;
      settled = true;
      clearInterval(rateCheck);
      let body: Buffer | undefined = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      chunks.length = 0;
      const take = (): Buffer => {
        if (!body) throw new Error('the body was already taken');
        const taken = body;
        body = undefined;
        return taken;
      };
      resolve({ take, release });
    };

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    req.on('close', () => {
      if (!req.complete) fail(new BodyError(400, 'upload aborted by the client'));
    });
    req.on('error', (error) => fail(new BodyError(400, `unreadable body: ${error.message}`)));
    if (decompressor) {
      decompressor.on('data', onData);
      decompressor.on('end', onEnd);
      decompressor.on('error', (error) =>
        fail(new BodyError(400, `unreadable body: ${error.message}`)),
      );
      req.pipe(decompressor);
    } else {
      req.on('data', onData);
      req.on('end', onEnd);
    }
  });
}

function tooLarge(limits: BodyLimits): BodyError {
  return new BodyError(
    413,
    `body larger than ${limits.maxBodyBytes} bytes (TOKENMETER_SINK_MAX_BODY_BYTES)`,
  );
}

function overBudget(budget: ByteBudget): BodyError {
  return new BodyError(
    503,
    `sink saturated: request bodies already hold ${budget.inUse} bytes (TOKENMETER_SINK_MAX_INFLIGHT_BYTES ${budget.ceiling})`,
  );
}

import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startSink, type RunningSink } from '../sink';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';

const TOKEN = 'slow-token';
const GRACE_MS = 2000;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('slow');
});

afterAll(async () => {
  await database?.drop();
});

/** A raw connection that sends the request head at once, then its body one byte per second. */
class TricklingUpload {
  private readonly socket: Socket;
  private timer: NodeJS.Timeout | undefined;
  answer = '';
  readonly closed: Promise<void>;

  constructor(url: string, declaredLength: number, options: { headersToo?: boolean } = {}) {
    const { port } = new URL(url);
    this.socket = connect(Number(port), '127.0.0.1');
    this.socket.on('data', (chunk) => (this.answer += chunk.toString()));
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.on('close', () => resolve()));
    const head =
      `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n` +
      `Content-Type: application/x-protobuf\r\nContent-Length: ${declaredLength}\r\n\r\n`;
    let sent = 0;
    const trickle = options.headersToo ? head : '';
    if (!options.headersToo) this.socket.write(head);
    this.timer = setInterval(() => {
      this.socket.write(trickle ? trickle[sent % trickle.length]! : 'x');
      sent++;
    }, 1000);
  }

  get status(): number | undefined {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(this.answer);
    return match ? Number(match[1]) : undefined;
  }

  stop(): void {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}

const batch = (service: string, n: number): Buffer =>
  gzipSync(
    traceRequestProtobuf(
      traceRequestJson(Array.from({ length: n }, (_, i) => ({ service, userId: `u-${i}` }))),
    ),
  );

const post = (sink: RunningSink, body: Buffer, encoding = 'gzip'): Promise<Response> =>
  fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/x-protobuf',
      'content-encoding': encoding,
    },
    body,
  });

const countOf = (service: string): Promise<number> =>
  withClient(database.url, async (client) =>
    Number(
      (
        await client.query('SELECT count(*) AS n FROM tokenmeter.llm_calls WHERE service = $1', [
          service,
        ])
      ).rows[0].n,
    ),
  );

describe('slow clients', () => {
  let sink: RunningSink;
  beforeAll(async () => {
    sink = await startSink({
      databaseUrl: database.url,
      port: 0,
      ingestToken: TOKEN,
      maxInFlight: 16,
      bodyRateGraceMs: GRACE_MS,
      minBodyBytesPerSecond: 1024,
      headersTimeoutMs: 3000,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await sink?.close();
  });

  it('answers real batches 200 while 16 connections send their bodies at 1 byte/s, and cuts those off with 408', async () => {
    const slow = Array.from({ length: 16 }, () => new TricklingUpload(sink.url, 5000));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      for (let i = 0; i < 5; i++)
        expect((await post(sink, batch(`amid-slow-${i}`, 20))).status).toBe(200);
      const started = Date.now();
      await Promise.all(slow.map((upload) => upload.closed));
      expect(Date.now() - started).toBeLessThan(GRACE_MS + 3000);
      expect(slow.map((upload) => upload.status)).toEqual(Array(16).fill(408));
      expect(slow[0]!.answer).toMatch(/slower than 1024 bytes\/s/);
    } finally {
      for (const upload of slow) upload.stop();
    }
    for (let i = 0; i < 5; i++) expect(await countOf(`amid-slow-${i}`)).toBe(20);
  });

  it('closes a connection that sends its headers one byte per second', async () => {
    const upload = new TricklingUpload(sink.url, 10, { headersToo: true });
    try {
      const started = Date.now();
      await upload.closed;
      expect(Date.now() - started).toBeLessThan(3000 + 2500);
      expect(upload.status).toBe(408);
    } finally {
      upload.stop();
    }
  });
});

describe('admission by bytes', () => {
  let sink: RunningSink;
  const CEILING = 1024 * 1024;
  beforeAll(async () => {
    sink = await startSink({
      databaseUrl: database.url,
      port: 0,
      ingestToken: TOKEN,
      maxBodyBytes: 4 * CEILING,
      maxInflightBytes: CEILING,
      retryAfterSeconds: 2,
      bodyRateGraceMs: GRACE_MS,
      log: () => undefined,
    });
  });
  afterAll(async () => {
    await sink?.close();
  });

  it('answers 503 with Retry-After, before decoding, to bodies that would take the held bytes over the ceiling', async () => {
    const large = traceRequestProtobuf(
      traceRequestJson(
        Array.from({ length: 2000 }, (_, i) => ({ service: 'over-ceiling', userId: `u-${i}` })),
      ),
    );
    expect(large.length).toBeGreaterThan(CEILING / 2);
    // A slow upload holding most of the ceiling: its declared length counts from the start.
    const holder = new TricklingUpload(sink.url, Math.round(CEILING * 0.6));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const byLength = await post(sink, large, 'identity');
      expect(byLength.status).toBe(503);
      expect(byLength.headers.get('retry-after')).toBe('2');
      expect(((await byLength.json()) as { message: string }).message).toMatch(
        /TOKENMETER_SINK_MAX_INFLIGHT_BYTES/,
      );
      // Compressed, the body is small; it is refused while it inflates past the ceiling.
      const gzipped = gzipSync(large);
      expect(gzipped.length).toBeLessThan(CEILING * 0.3);
      expect((await post(sink, gzipped)).status).toBe(503);
      await holder.closed;
    } finally {
      holder.stop();
    }
    expect(await countOf('over-ceiling')).toBe(0);
    // Once the slow upload is cut off, the same bodies fit.
    expect((await post(sink, gzipSync(large))).status).toBe(200);
    expect(await countOf('over-ceiling')).toBe(2000);
  });

  it('admits a body larger than the ceiling when nothing else is held', async () => {
    const larger = traceRequestProtobuf(
      traceRequestJson(
        Array.from({ length: 4000 }, (_, i) => ({ service: 'alone-over', userId: `u-${i}` })),
      ),
    );
    expect(larger.length).toBeGreaterThan(CEILING);
    expect((await post(sink, gzipSync(larger))).status).toBe(200);
    expect(await countOf('alone-over')).toBe(4000);
  });
});

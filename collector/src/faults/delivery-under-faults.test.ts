import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startCollector, waitFor, type RunningCollector } from '@tokenmeter/test-support';
import { otelcolBinary, pgCtl } from '@tokenmeter/test-support';
import { rollupMismatches } from '../test-support/ledger-checks';
import { sdkTracer } from '@tokenmeter/test-support';
import { traceRequestJson, traceRequestProtobuf } from '../test-support/genai-spans';
import { createTestDatabase, withClient, type TestDatabase } from '@tokenmeter/test-support';
import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { protobufWithDeepAttribute } from '../test-support/hostile-spans';
import { SinkProcess } from '../test-support/sink-process';

// Faults between the Collector, the sink and PostgreSQL while model-call spans flow from the real
// SDK through the real Collector into the sink, which runs as its own process. Each scenario sends
// spans of its own service and checks the ledger against what was sent: every span stored exactly
// once, the token sums equal, every rollup equal to the ledger, the sink process alive.
// Stops this machine's test PostgreSQL server (TOKENMETER_PG_CTL): the workspace's files run one at a time.
const TOKEN = 'faults-token';
const OTLP_TOKEN = 'faults-otlp-token';
const run = promisify(execFile);
const postgres = async (...args: string[]): Promise<void> => {
  await run('bash', [pgCtl(), ...args], { timeout: 90_000 });
};
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let sink: SinkProcess;
let collector: RunningCollector;
/** What each scenario said it sent, per service: the note the tests print at the end. */
const report: string[] = [];

async function collectorFor(sinkUrl: string, storageDir?: string): Promise<RunningCollector> {
  return startCollector({
    binary: otelcolBinary(),
    ports: {
      otlpGrpc: await freePort(),
      otlpHttp: await freePort(),
      prometheusExporter: await freePort(),
      telemetry: await freePort(),
    },
    sinkUrl,
    ingestToken: TOKEN,
    otlpToken: OTLP_TOKEN,
    storageDir,
  });
}

beforeAll(async () => {
  pgCtl();
  database = await createTestDatabase('faults');
  sink = await SinkProcess.start(database.url, {
    TOKENMETER_INGEST_TOKEN: TOKEN,
    TOKENMETER_SINK_RETRY_AFTER_S: '1',
  });
  collector = await collectorFor(sink.url);
});

afterAll(async () => {
  await postgres('start'); // whatever happened, the other tests need the server back
  await collector?.process.stop();
  await sink?.stop();
  await database?.drop();
  if (report.length > 0) console.log(`sent / stored / duplicates per fault:\n${report.join('\n')}`);
});

/** Model calls of one service sent through the SDK, with the token sums expected in the ledger. */
class Sender {
  sent = 0;
  inputTokens = 0;
  outputTokens = 0;
  private readonly tracer;

  constructor(
    readonly service: string,
    otlpHttpUrl: string,
  ) {
    this.tracer = sdkTracer(otlpHttpUrl, service, { authorization: `Bearer ${OTLP_TOKEN}` });
  }

  async send(calls: number): Promise<void> {
    for (let i = 0; i < calls; i++) {
      const inputTokens = 100 + (this.sent % 97);
      const outputTokens = 10 + (this.sent % 13);
      this.tracer.recordCall({
        userId: `user-${this.sent % 7}`,
        promptName: `prompt-${this.sent % 3}`,
        inputTokens,
        outputTokens,
        startMs: Date.now() - 2000 + i,
      });
      this.sent++;
      this.inputTokens += inputTokens;
      this.outputTokens += outputTokens;
    }
    await this.tracer.flush();
  }

  shutdown(): Promise<void> {
    return this.tracer.shutdown();
  }
}

interface Ledger {
  rows: number;
  spans: number;
  input: number;
  output: number;
}

const ledgerOf = (service: string): Promise<Ledger> =>
  withClient(
    database.url,
    async (client) =>
      (
        await client.query<Ledger>(
          `SELECT count(*)::int AS rows, count(DISTINCT (trace_id, span_id))::int AS spans,
           coalesce(sum(input_tokens), 0)::int AS input, coalesce(sum(output_tokens), 0)::int AS output
         FROM tokenmeter.llm_calls WHERE service = $1`,
          [service],
        )
      ).rows[0]!,
  );

/** Waits until every span sent is in the ledger, then checks that nothing is there twice and the sums and rollups agree. */
async function expectStoredExactlyOnce(sender: Sender, fault: string): Promise<void> {
  const ledger = await waitFor(
    `${sender.sent} spans of ${sender.service} in the ledger`,
    async () => {
      const now = await ledgerOf(sender.service);
      return now.rows >= sender.sent ? now : undefined;
    },
    120_000,
    500,
  );
  await pause(1500); // a late redelivery would show now
  const settled = await ledgerOf(sender.service);
  report.push(
    `${fault}: sent ${sender.sent}, stored ${settled.spans}, duplicates ${settled.rows - settled.spans}`,
  );
  expect(settled).toEqual(ledger);
  expect(settled).toEqual({
    rows: sender.sent,
    spans: sender.sent,
    input: sender.inputTokens,
    output: sender.outputTokens,
  });
  expect(await rollupMismatches(database.url)).toEqual([]);
  expect({ sinkRunning: sink.running, output: sink.running ? '' : sink.output() }).toEqual({
    sinkRunning: true,
    output: '',
  });
}

async function probeDuringOutage(): Promise<{
  status: number;
  retryAfter: string | null;
  health: unknown;
}> {
  const response = await fetch(`${sink.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf' },
    body: traceRequestProtobuf(traceRequestJson([{ service: 'outage-probe' }])),
  });
  await response.arrayBuffer();
  const health = await fetch(`${sink.url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    health: { status: health.status, body: await health.json() },
  };
}

describe.each(['fast', 'immediate'])(
  'PostgreSQL stopped (%s shutdown) while spans flow',
  (mode) => {
    it('keeps the sink alive, answering 503 + Retry-After, and stores every span exactly once after the restart', async () => {
      const sender = new Sender(`db-stop-${mode}`, collector.otlpHttpUrl);
      const probes: Awaited<ReturnType<typeof probeDuringOutage>>[] = [];
      for (let round = 0; round < 14; round++) {
        if (round === 3) await postgres('stop', mode);
        if (round >= 4 && round <= 8) probes.push(await probeDuringOutage());
        if (round === 9) await postgres('start');
        await sender.send(60);
        await pause(250);
      }
      await sender.shutdown();
      expect(probes.length).toBeGreaterThan(0);
      for (const probe of probes) {
        expect(probe).toEqual({
          status: 503,
          retryAfter: '1',
          health: { status: 503, body: { status: 'unavailable', database: 'down' } },
        });
      }
      await expectStoredExactlyOnce(sender, `PostgreSQL ${mode} shutdown`);
    });
  },
);

it('stores every span exactly once while hostile bodies and slow uploads hit the sink directly', async () => {
  const sender = new Sender('amid-hostile', collector.otlpHttpUrl);
  const slow = Array.from({ length: 16 }, () => {
    const socket = connect(sink.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `POST /v1/traces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 100000\r\n\r\n`,
    );
    const timer = setInterval(() => socket.write('x'), 1000);
    return { socket, timer };
  });
  const hostile = async (
    body: Buffer | string,
    headers: Record<string, string>,
  ): Promise<number> => {
    const response = await fetch(`${sink.url}/v1/traces`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/x-protobuf',
        ...headers,
      },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  };
  const deep = gzipSync(protobufWithDeepAttribute('hostile-direct', 0, 3000).body);
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
  const statuses: number[] = [];
  try {
    for (let round = 0; round < 6; round++) {
      await sender.send(100);
      statuses.push(
        await hostile(deep, { 'content-encoding': 'gzip' }),
        await hostile(bomb, { 'content-encoding': 'gzip' }),
        await hostile(Buffer.from([0x0a, 0xff, 0xff, 0x03]), {}),
        await hostile(`${'['.repeat(50_000)}`, { 'content-type': 'application/json' }),
      );
      await pause(200);
    }
  } finally {
    for (const { socket, timer } of slow) {
      clearInterval(timer);
      socket.destroy();
    }
  }
  await sender.shutdown();
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
  await expectStoredExactlyOnce(sender, '16 slow uploads and hostile bodies alongside');
});

it('stores every span exactly once when the sink is SIGKILLed mid-batch and the Collector retries', async () => {
  const sender = new Sender('sink-killed', collector.otlpHttpUrl);
  await sender.send(300);
  // Kill it while it writes: once part of what was sent is stored.
  await waitFor(
    'the first rows',
    async () => ((await ledgerOf(sender.service)).rows > 0 ? true : undefined),
    30_000,
    20,
  );
  const sending = sender.send(600);
  await pause(100);
  await sink.kill();
  await sending;
  await pause(1000);
  await sink.restart();
  await sender.send(100);
  await sender.shutdown();
  await expectStoredExactlyOnce(sender, 'sink SIGKILL mid-batch');
});

it('delivers what the Collector had queued when it is restarted (persistent queue) while the sink is down', async () => {
  await sink.stop();
  const sender = new Sender('collector-restarted', collector.otlpHttpUrl);
  await sender.send(400);
  await sender.shutdown();
  await waitFor('the Collector to accept the spans', async () => {
    const text = await (await fetch(`http://${collector.telemetryTarget}/metrics`)).text();
    const accepted = [
      ...text.matchAll(/^otelcol_receiver_accepted_spans\{[^}]*transport="http"[^}]*\} (\d+)/gm),
    ].reduce((sum, m) => sum + Number(m[1]), 0);
    return accepted >= sender.sent ? true : undefined;
  });
  const storageDir = collector.storageDir;
  await collector.process.stop();
  expect((await ledgerOf(sender.service)).rows).toBe(0);
  await sink.restart();
  collector = await collectorFor(sink.url, storageDir);
  await expectStoredExactlyOnce(sender, 'Collector restart with the sink down (persistent queue)');
});

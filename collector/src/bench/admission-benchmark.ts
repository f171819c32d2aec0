// `npm run bench:admission -w collector`: the sink's memory under 16 concurrent maximal requests
// (each inflating to just under TOKENMETER_SINK_MAX_BODY_BYTES, 16 MiB), sent again after each 503
// until all are stored. Prints the sink's peak RSS and what it answered; asserts nothing about time.
//   TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL): server to create a scratch database on
//   TOKENMETER_SINK_MAX_INFLIGHT_BYTES: the ceiling under test (the sink's default when unset)
//   TOKENMETER_BENCH_REQUESTS (default 16)
//   TOKENMETER_BENCH_SINK_MAIN: another build's dist/main.js, to compare (default: this one)
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { migrate } from '../db/migrate';
import { SinkProcess } from '../test-support/sink-process';
import { traceRequestJson, traceRequestProtobuf, type CallSpec } from '../test-support/genai-spans';

const REQUESTS = Number(process.env.TOKENMETER_BENCH_REQUESTS ?? 16);
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const TARGET_BYTES = MAX_BODY_BYTES - 128 * 1024;
const NOTE = 'x'.repeat(1500); // stored cut at 2 048 characters: fewer, larger spans per MiB, as a verbose emitter sends

const log = (message: string): void => console.log(message);

async function main(): Promise<void> {
  const serverUrl =
    process.env.TOKENMETER_BENCH_DATABASE_URL ?? process.env.TOKENMETER_TEST_DATABASE_URL;
  if (!serverUrl)
    throw new Error(
      'Set TOKENMETER_BENCH_DATABASE_URL (or TOKENMETER_TEST_DATABASE_URL) to a PostgreSQL server URL',
    );
  const name = `tm_admissionbench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
    await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** One request of `service` inflating to just under the body limit. */
function maximalRequest(service: string): { body: Buffer; inflated: number; spans: number } {
  const spec = (i: number): CallSpec => ({
    service,
    userId: `user-${i % 50}`,
    startMs: Date.now() - 60_000 + (i % 60_000),
    extra: { 'app.note': NOTE },
  });
  const perSpan =
    traceRequestProtobuf(traceRequestJson(Array.from({ length: 100 }, (_, i) => spec(i)))).length /
    100;
  let spans = Math.floor(TARGET_BYTES / perSpan);
  let protobuf = traceRequestProtobuf(
    traceRequestJson(Array.from({ length: spans }, (_, i) => spec(i))),
  );
  while (protobuf.length > TARGET_BYTES) {
    spans -= Math.ceil((protobuf.length - TARGET_BYTES) / perSpan) + 1;
    protobuf = traceRequestProtobuf(
      traceRequestJson(Array.from({ length: spans }, (_, i) => spec(i))),
    );
  }
  return { body: gzipSync(protobuf), inflated: protobuf.length, spans };
}

async function run(databaseUrl: string): Promise<void> {
  log(
    `preparing ${REQUESTS} requests of just under ${MAX_BODY_BYTES / 1024 / 1024} MiB each (gzip protobuf)`,
  );
  const requests = Array.from({ length: REQUESTS }, (_, i) => maximalRequest(`admission-${i}`));
  const { inflated, spans, body } = requests[0]!;
  log(
    `each: ${spans} spans, ${(inflated / 1024 / 1024).toFixed(2)} MiB inflated, ${(body.length / 1024).toFixed(0)} KiB gzip`,
  );

  const sink = await SinkProcess.start(
    databaseUrl,
    { TOKENMETER_SINK_MIGRATE: 'false', TOKENMETER_SINK_RETRY_AFTER_S: '1' },
    process.env.TOKENMETER_BENCH_SINK_MAIN,
  );
  const answers: Record<string, number> = {};
  try {
    const baselineMb = peakRssMb(sink.pid!);
    const started = Date.now();
    await Promise.all(
      requests.map(async ({ body: gzip }) => {
        for (;;) {
          const response = await fetch(`${sink.url}/v1/traces`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' },
            body: gzip,
          });
          await response.arrayBuffer();
          answers[response.status] = (answers[response.status] ?? 0) + 1;
          if (response.status === 200) return;
          if (response.status !== 503) throw new Error(`sink answered ${response.status}`);
          await new Promise((resolve) =>
            setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000),
          );
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const peak = peakRssMb(sink.pid!);
    const stored = await countRows(databaseUrl);
    if (stored !== spans * REQUESTS)
      throw new Error(`expected ${spans * REQUESTS} rows, found ${stored}`);
    const ceiling = process.env.TOKENMETER_SINK_MAX_INFLIGHT_BYTES ?? 'default';
    log(
      `${REQUESTS} requests stored (${stored} rows) in ${seconds.toFixed(1)} s; answers ${JSON.stringify(answers)}; ` +
        `sink RSS at start ${baselineMb.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (TOKENMETER_SINK_MAX_INFLIGHT_BYTES ${ceiling})`,
    );
    console.log(
      JSON.stringify({
        requests: REQUESTS,
        inflated_mib: Number((inflated / 1024 / 1024).toFixed(2)),
        peak_rss_mb: Number(peak.toFixed(1)),
        answers_503: answers['503'] ?? 0,
        seconds: Number(seconds.toFixed(1)),
      }),
    );
  } finally {
    await sink.stop();
  }
}

/** VmHWM: the highest resident set size the process has had. */
function peakRssMb(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function countRows(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query('SELECT count(*) AS n FROM tokenmeter.llm_calls')).rows[0].n);
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => {
  console.error(`benchmark failed: ${error.stack ?? error.message}`);
  process.exit(1);
});

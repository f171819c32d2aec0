// `npm run demo`: the whole Tokenmeter pipeline on one machine without Docker. PostgreSQL is
// DATABASE_URL or an embedded PGlite; the Collector and Prometheus join when their binaries are
// found, otherwise the demo service exports straight to the usage sink. The demo service gets
// 30 days of backfilled history and then live traffic; the report is printed once the history
// is in the ledger.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { formatReport, readReport, redactUrl, type Report } from '@tokenmeter/cli';
import { startSink, type RunningSink } from '@tokenmeter/collector';
import {
  startCollector,
  type RunningCollector,
  portOrFree,
  waitFor,
} from '@tokenmeter/test-support';
import { startSimulatedProvider } from '../provider/simulated-provider';
import { backfill } from '../traffic/backfill';
import { runLiveTraffic } from '../traffic/live-traffic';
import type { Tally } from '../traffic/tally';
import { demoUsers } from '../world';
import { findCollector, findPrometheus } from './binaries';
import { startDemoServiceProcess, type RunningDemoServiceProcess } from './demo-service-process';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { startPrometheus, type RunningPrometheus } from './prometheus-process';

export interface DemoPorts {
  service: number;
  provider: number;
  sink: number;
  embeddedPostgres: number;
  collectorGrpc: number;
  collectorHttp: number;
  collectorMetrics: number;
  collectorTelemetry: number;
  prometheus: number;
}

/** The ports of docs/architecture.md (each replaced by a free one when taken). */
export const DEFAULT_PORTS: DemoPorts = {
  service: 8080,
  provider: 8081,
  sink: 4319,
  embeddedPostgres: 54320,
  collectorGrpc: 4317,
  collectorHttp: 4318,
  collectorMetrics: 8889,
  collectorTelemetry: 8888,
  prometheus: 9090,
};

export interface DemoOptions {
  /** A PostgreSQL server to use; default: embedded PGlite. */
  databaseUrl?: string;
  /** Collector binary; undefined = look for it, null = run without. */
  collectorBinary?: string | null;
  /** Prometheus binary; undefined = look for it, null = run without. */
  prometheusBinary?: string | null;
  redisUrl?: string;
  ports?: Partial<DemoPorts>;
  seed?: string;
  users?: number;
  backfillDays?: number;
  callsPerDay?: number;
  /** Live actions per second (0 = none). */
  liveRate?: number;
  /** Provider latency multiplier (1 = realistic). */
  latencyScale?: number;
  /** Where status lines go. */
  log?: (line: string) => void;
  /** Where the report goes. */
  out?: NodeJS.WritableStream;
  color?: boolean;
}

export interface RunningDemo {
  databaseUrl: string;
  serviceUrl: string;
  prometheusUrl?: string;
  backfilled: Tally;
  report: Report;
  /** Stops traffic and every component, in reverse order of start. */
  stop(): Promise<void>;
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function resolvePorts(requested: Partial<DemoPorts>): Promise<DemoPorts> {
  const ports = { ...DEFAULT_PORTS, ...requested };
  const resolved = {} as DemoPorts;
  for (const key of Object.keys(ports) as (keyof DemoPorts)[])
    resolved[key] = await portOrFree(ports[key]);
  return resolved;
}

/** Rows in the ledger; used to wait until the backfill has landed. */
async function ledgerCount(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ calls: string }>(
      'SELECT coalesce(sum(calls), 0) AS calls FROM tokenmeter.llm_usage_daily',
    );
    return Number(rows[0]?.calls ?? 0);
  } finally {
    await client.end();
  }
}

export async function runDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const ports = await resolvePorts(options.ports ?? {});
  const workDir = mkdtempSync(join(tmpdir(), 'tokenmeter-demo-'));
  const seed = options.seed ?? 'tokenmeter-demo';
  const users = demoUsers(seed, options.users ?? 40);
  const stops: (() => Promise<void>)[] = [
    async () => rmSync(workDir, { recursive: true, force: true }),
  ];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse())
      await stop().catch((error: Error) => log(`  (while stopping: ${error.message})`));
  };
  const missing: string[] = [];

  try {
    const collectorBinary =
      options.collectorBinary === undefined
        ? findCollector()
        : (options.collectorBinary ?? undefined);
    const prometheusBinary =
      options.prometheusBinary === undefined
        ? findPrometheus()
        : (options.prometheusBinary ?? undefined);
    if (!collectorBinary)
      missing.push(
        'OpenTelemetry Collector: not found, so the demo service exports traces straight to the usage sink and metrics are off.\n' +
          '    Add it: `npm run collector:build` (needs Go; builds once into ~/.cache/tokenmeter) or set OTELCOL_BIN.',
      );
    if (!prometheusBinary)
      missing.push(
        'Prometheus: not found on PATH, so no metrics store (rates, latency histograms, health gauges).\n' +
          '    Add it: `apt-get install prometheus` (or any Prometheus 2.x binary) or set PROMETHEUS_BIN.',
      );
    else if (!collectorBinary)
      missing.push(
        'Prometheus: found, but it needs the Collector to have metrics to scrape; not started.',
      );

    // 1. At once: PostgreSQL, the simulated provider, the Collector (its exports to the sink are
    // retried until the sink listens) and Prometheus.
    const sinkUrl = `http://127.0.0.1:${ports.sink}`;
    const database = (async (): Promise<string> => {
      if (options.databaseUrl) {
        log(`✔ PostgreSQL: ${redactUrl(options.databaseUrl)}`);
        return options.databaseUrl;
      }
      const t = Date.now();
      const embedded: EmbeddedPostgres = await startEmbeddedPostgres({
        port: ports.embeddedPostgres,
      });
      stops.push(() => embedded.stop());
      log(
        `✔ PostgreSQL: embedded PGlite at ${embedded.url} (${seconds(t)}; in memory, gone when the demo stops)`,
      );
      return embedded.url;
    })();
    const providerStarted = startSimulatedProvider({
      port: ports.provider,
      seed,
      latencyScale: options.latencyScale ?? 1,
    }).then((provider) => {
      stops.push(() => provider.stop());
      log(`✔ Simulated OpenAI-compatible provider at ${provider.baseURL}`);
      return provider;
    });
    const collectorStarted = (async (): Promise<RunningCollector | undefined> => {
      if (!collectorBinary) return undefined;
      const t = Date.now();
      const collector = await startCollector({
        binary: collectorBinary,
        sinkUrl,
        logFile: join(workDir, 'collector.log'),
        ports: {
          otlpGrpc: ports.collectorGrpc,
          otlpHttp: ports.collectorHttp,
          prometheusExporter: ports.collectorMetrics,
          telemetry: ports.collectorTelemetry,
        },
      });
      stops.push(() => collector.process.stop());
      log(
        `✔ OpenTelemetry Collector: OTLP at ${collector.otlpHttpUrl}, metrics at http://${collector.metricsTarget}/metrics (${seconds(t)})`,
      );
      return collector;
    })();
    const prometheusStarted = (async (): Promise<RunningPrometheus | undefined> => {
      if (!prometheusBinary || !collectorBinary) return undefined;
      const t = Date.now();
      const prometheus = await startPrometheus({
        binary: prometheusBinary,
        port: ports.prometheus,
        dir: join(workDir, 'prometheus'),
        logFile: join(workDir, 'prometheus.log'),
        targets: {
          collectorMetrics: `127.0.0.1:${ports.collectorMetrics}`,
          collectorTelemetry: `127.0.0.1:${ports.collectorTelemetry}`,
          sink: `127.0.0.1:${ports.sink}`,
        },
      });
      stops.push(() => prometheus.process.stop());
      log(`✔ Prometheus at ${prometheus.url} (${seconds(t)})`);
      return prometheus;
    })();
    const [databaseUrl, provider, collector, prometheus] = await settleAll([
      database,
      providerStarted,
      collectorStarted,
      prometheusStarted,
    ]);

    // 2. The usage sink (it migrates the schema), then the demo service and the history at once.
    let t = Date.now();
    const sink: RunningSink = await startSink({
      databaseUrl,
      port: ports.sink,
      poolSize: 4,
      log: () => undefined,
      processMetrics: false,
    });
    stops.push(() => sink.close());
    log(`✔ Usage sink at ${sink.url} (schema migrated, ${seconds(t)})`);

    const serviceStarted = (async (): Promise<RunningDemoServiceProcess> => {
      const started = Date.now();
      const service = await startDemoServiceProcess({
        port: ports.service,
        databaseUrl,
        providerBaseUrl: provider.baseURL,
        otlpEndpoint: collector?.otlpHttpUrl,
        otlpHeaders: collector?.otlpHeaders,
        sinkUrl: sink.url,
        redisUrl: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        logFile: join(workDir, 'demo-service.log'),
      });
      stops.push(() => service.process.stop());
      log(`✔ Demo service at ${service.url} (health: ${service.url}/health; ${seconds(started)})`);
      return service;
    })();
    t = Date.now();
    const days = options.backfillDays ?? 30;
    const backfillDone = (async (): Promise<Tally> => {
      const sent = await backfill({
        otlpEndpoint: collector?.otlpHttpUrl ?? sink.url,
        otlpHeaders: collector?.otlpHeaders,
        seed,
        users,
        days,
        callsPerDay: options.callsPerDay ?? 150,
      });
      const expected = sent.total.calls;
      await waitFor(
        `the ${expected} backfilled calls to reach the ledger`,
        async () => ((await ledgerCount(databaseUrl)) >= expected ? true : undefined),
        90_000,
        500,
      );
      log(
        `✔ Backfilled ${days} days: ${expected} model calls through ${collector ? 'the Collector' : 'the sink'} into the ledger (${seconds(t)})`,
      );
      return sent;
    })();
    const [service, backfilled] = await settleAll([serviceStarted, backfillDone]);

    const live = new AbortController();
    const liveRate = options.liveRate ?? 2;
    if (liveRate > 0) {
      const traffic = runLiveTraffic({
        serviceUrl: service.url,
        seed: `${seed}-live-${Date.now()}`,
        users,
        ratePerSecond: liveRate,
        signal: live.signal,
      });
      stops.push(async () => {
        live.abort();
        await traffic;
      });
      log(`✔ Live traffic: ${liveRate} actions per second from ${users.length} users`);
    }

    if (missing.length > 0)
      log(`\nRunning without:\n${missing.map((line) => `  • ${line}`).join('\n')}`);
    const report = await readReport(databaseUrl, { since: '30d' });
    (options.out ?? process.stdout).write(
      `\n${formatReport(report, { color: options.color ?? false })}`,
    );
    log(
      `Ready in ${seconds(started)}. Again at any time: npx tokenmeter report --database-url ${databaseUrl}`,
    );
    if (prometheus)
      log(
        `Metrics: ${prometheus.url} (e.g. sum(tokenmeter_llm_cost_usd_total)); logs in ${workDir}`,
      );
    return {
      databaseUrl,
      serviceUrl: service.url,
      prometheusUrl: prometheus?.url,
      backfilled,
      report,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Like Promise.all, but waits for every start to settle first, so nothing started is left unstopped. */
async function settleAll<T extends readonly unknown[]>(promises: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

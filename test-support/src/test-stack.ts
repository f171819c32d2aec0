// The Collector and Prometheus for tests: the binaries scripts/test.sh provides, on free ports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { otelcolBinary, prometheusDir } from './environment';
import { startCollector } from './processes/collector-process';
import { freePort, type ManagedProcess } from './processes/managed-process';
import { startPrometheusProcess } from './processes/prometheus-process';
import type { PrometheusSample } from './processes/prometheus-query';

export interface RunningTestProcess {
  output(): string;
  stop(): Promise<void>;
}

const handle = (process: ManagedProcess): RunningTestProcess => ({
  output: () => process.output(),
  stop: () => process.stop(),
});

export interface TestCollector extends RunningTestProcess {
  otlpHttpUrl: string;
  /** `Authorization: Bearer <token>` the OTLP receivers require. */
  otlpHeaders: Record<string, string>;
  prometheusTarget: string;
  telemetryTarget: string;
}

/**
 * The real Collector binary with collector/otelcol.yaml, on free ports, exporting traces to
 * `sinkUrl` with `ingestToken` (a random one when empty); its OTLP receivers require `otlpHeaders`.
 */
export async function startTestCollector(
  sinkUrl: string,
  ingestToken: string,
  otlpToken?: string,
): Promise<TestCollector> {
  const [otlpGrpc, otlpHttp, prometheusExporter, telemetry] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const collector = await startCollector({
    binary: otelcolBinary(),
    ports: { otlpGrpc, otlpHttp, prometheusExporter, telemetry },
    sinkUrl,
    ingestToken,
    otlpToken,
  });
  return {
    ...handle(collector.process),
    otlpHttpUrl: collector.otlpHttpUrl,
    otlpHeaders: collector.otlpHeaders,
    prometheusTarget: collector.metricsTarget,
    telemetryTarget: collector.telemetryTarget,
  };
}

export interface TestPrometheus extends RunningTestProcess {
  url: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<PrometheusSample[]>;
}

/** Prometheus (Debian's 2.42) scraping the given targets every second; `honor_labels` keeps the Collector's `job`. */
export async function startTestPrometheus(
  targets: { job: string; target: string; path?: string; bearerToken?: string }[],
): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'tm-prometheus-'));
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: targets.map(({ job, target, path, bearerToken }) => ({
      job_name: job,
      honor_labels: true,
      metrics_path: path ?? '/metrics',
      ...(bearerToken ? { authorization: { type: 'Bearer', credentials: bearerToken } } : {}),
      static_configs: [{ targets: [target] }],
    })),
  };
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  let prometheus;
  try {
    prometheus = await startPrometheusProcess({
      binary: join(prometheusDir(), 'prometheus'),
      port: await freePort(),
      dir,
      config,
    });
  } catch (error) {
    removeDir();
    throw error;
  }
  const { process, url, query } = prometheus;
  return {
    output: () => process.output(),
    stop: async () => {
      await process.stop();
      removeDir();
    },
    url,
    query,
  };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  COLLECTOR_CONFIG,
  ManagedProcess,
  answers,
  ensureRunning,
  freePort,
  queryPrometheus,
  startCollector as startCollectorOn,
  waitFor,
  type PrometheusSample,
} from '../processes';
import { otelcolBinary, prometheusDir } from './environment';

export { freePort, waitFor };
export const OTELCOL_CONFIG = COLLECTOR_CONFIG;

export interface RunningProcess {
  output(): string;
  stop(): Promise<void>;
}

const handle = (process: ManagedProcess): RunningProcess => ({
  output: () => process.output(),
  stop: () => process.stop(),
});

export interface RunningCollector extends RunningProcess {
  otlpHttpUrl: string;
  prometheusTarget: string;
  telemetryTarget: string;
}

/** The real Collector binary with collector/otelcol.yaml, on free ports, exporting traces to `sinkUrl`. */
export async function startCollector(sinkUrl: string, ingestToken: string): Promise<RunningCollector> {
  const [otlpGrpc, otlpHttp, prometheusExporter, telemetry] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const collector = await startCollectorOn({
    binary: otelcolBinary(),
    ports: { otlpGrpc, otlpHttp, prometheusExporter, telemetry },
    sinkUrl,
    ingestToken,
  });
  return {
    ...handle(collector.process),
    otlpHttpUrl: collector.otlpHttpUrl,
    prometheusTarget: collector.metricsTarget,
    telemetryTarget: collector.telemetryTarget,
  };
}

export interface RunningPrometheus extends RunningProcess {
  url: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<PrometheusSample[]>;
}

/** Prometheus (Debian's 2.42) scraping the given targets every second; `honor_labels` keeps the Collector's `job`. */
export async function startPrometheus(targets: { job: string; target: string; path?: string }[]): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'tm-prometheus-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: targets.map(({ job, target, path }) => ({
      job_name: job,
      honor_labels: true,
      metrics_path: path ?? '/metrics',
      static_configs: [{ targets: [target] }],
    })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config));
  const prometheus = new ManagedProcess('Prometheus', join(prometheusDir(), 'prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await prometheus.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Prometheus to be ready', async () => {
      ensureRunning(prometheus);
      return answers(`${url}/-/ready`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    output: () => prometheus.output(),
    stop,
    url,
    query: (promql) => queryPrometheus(url, promql),
  };
}

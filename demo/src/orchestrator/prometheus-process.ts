// Prometheus for the no-Docker demo and the end-to-end test: the scrape jobs of
// provisioning/prometheus/prometheus.yml pointed at local ports, with the provisioned rules.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  answers,
  ensureRunning,
  ManagedProcess,
  queryPrometheus,
  waitFor,
  type PrometheusSample,
} from '@tokenmeter/collector';

export interface ScrapeTargets {
  /** The Collector's Prometheus exporter (the services' metrics; scraped with honor_labels). */
  collectorMetrics?: string;
  collectorTelemetry?: string;
  /** The usage sink (host:port). */
  sink?: string;
}

export interface RunningPrometheus {
  process: ManagedProcess;
  url: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<PrometheusSample[]>;
}

/** The provisioned recording and alerting rules (provisioning/prometheus/rules), when present. */
function ruleFiles(): string[] {
  const rules = resolve(__dirname, '../../../provisioning/prometheus/rules/tokenmeter.rules.yml');
  return existsSync(rules) ? [rules] : [];
}

export function prometheusConfig(targets: ScrapeTargets, scrapeInterval: string): string {
  const job = (name: string, target: string, honorLabels = false) => ({
    job_name: name,
    honor_labels: honorLabels,
    static_configs: [{ targets: [target] }],
  });
  const config = {
    global: { scrape_interval: scrapeInterval, evaluation_interval: scrapeInterval },
    rule_files: ruleFiles(),
    scrape_configs: [
      ...(targets.collectorMetrics
        ? [job('tokenmeter-collector', targets.collectorMetrics, true)]
        : []),
      ...(targets.collectorTelemetry
        ? [job('tokenmeter-collector-telemetry', targets.collectorTelemetry)]
        : []),
      ...(targets.sink ? [job('tokenmeter-sink', targets.sink)] : []),
    ],
  };
  return JSON.stringify(config, null, 2); // JSON is YAML
}

export async function startPrometheus(options: {
  binary: string;
  port: number;
  dir: string;
  targets: ScrapeTargets;
  scrapeInterval?: string;
  logFile?: string;
}): Promise<RunningPrometheus> {
  mkdirSync(options.dir, { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(configFile, prometheusConfig(options.targets, options.scrapeInterval ?? '5s'));
  const url = `http://127.0.0.1:${options.port}`;
  const process = new ManagedProcess(
    'Prometheus',
    options.binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
    ],
    { logFile: options.logFile },
  );
  try {
    await waitFor('Prometheus to be ready', async () => {
      ensureRunning(process);
      return answers(`${url}/-/ready`);
    });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return {
    process,
    url,
    query: (promql) => queryPrometheus(url, promql),
  };
}

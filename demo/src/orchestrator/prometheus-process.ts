// Prometheus for the no-Docker demo and the end-to-end test: the scrape jobs of
// provisioning/prometheus/prometheus.yml pointed at local ports, with the provisioned rules.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startPrometheusProcess, type RunningPrometheus } from '@tokenmeter/test-support';

export type { RunningPrometheus };

export interface ScrapeTargets {
  /** The Collector's Prometheus exporter (the services' metrics; scraped with honor_labels). */
  collectorMetrics?: string;
  collectorTelemetry?: string;
  /** The usage sink (host:port). */
  sink?: string;
}

/** The provisioned recording and alerting rules (provisioning/prometheus/rules), when present. */
function ruleFiles(): string[] {
  const rules = resolve(__dirname, '../../../provisioning/prometheus/rules/tokenmeter.rules.yml');
  return existsSync(rules) ? [rules] : [];
}

export function prometheusConfig(
  targets: ScrapeTargets,
  scrapeInterval: string,
): Record<string, unknown> {
  const job = (name: string, target: string, honorLabels = false) => ({
    job_name: name,
    honor_labels: honorLabels,
    static_configs: [{ targets: [target] }],
  });
  return {
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
}

export function startPrometheus(options: {
  binary: string;
  port: number;
  dir: string;
  targets: ScrapeTargets;
  scrapeInterval?: string;
  logFile?: string;
}): Promise<RunningPrometheus> {
  const { targets, scrapeInterval, ...process } = options;
  return startPrometheusProcess({
    ...process,
    config: prometheusConfig(targets, scrapeInterval ?? '5s'),
  });
}

// A Prometheus server as a child process, with the given prometheus.yml content, ready when it answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answers, ensureRunning, ManagedProcess, waitFor } from './managed-process';
import { queryPrometheus, type PrometheusSample } from './prometheus-query';

export interface RunningPrometheus {
  process: ManagedProcess;
  url: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<PrometheusSample[]>;
}

/** Writes `config` as `dir`/prometheus.yml, keeps the TSDB in `dir`/data, listens on 127.0.0.1:`port`. */
export async function startPrometheusProcess(options: {
  binary: string;
  port: number;
  dir: string;
  config: Record<string, unknown>;
  logFile?: string;
}): Promise<RunningPrometheus> {
  mkdirSync(options.dir, { recursive: true });
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(configFile, JSON.stringify(options.config, null, 2)); // JSON is YAML
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
  return { process, url, query: (promql) => queryPrometheus(url, promql) };
}

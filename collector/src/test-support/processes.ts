import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { otelcolBinary, prometheusDir } from './environment';

export const OTELCOL_CONFIG = resolve(__dirname, '../../otelcol.yaml');

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface RunningProcess {
  output(): string;
  stop(): Promise<void>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; process: RunningProcess } {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    child,
    process: {
      output: () => output,
      stop: () =>
        new Promise<void>((resolveStop) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(killer);
            resolveStop();
          });
          child.kill('SIGTERM');
        }),
    },
  };
}

async function isUp(url: string): Promise<true | undefined> {
  const response = await fetch(url);
  return response.ok ? true : undefined;
}

export interface RunningCollector extends RunningProcess {
  otlpHttpUrl: string;
  prometheusTarget: string;
  telemetryTarget: string;
}

/** The real Collector binary with collector/otelcol.yaml, on free ports, exporting traces to `sinkUrl`. */
export async function startCollector(sinkUrl: string, ingestToken: string): Promise<RunningCollector> {
  const [grpc, http, prometheus, telemetry] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const { child, process: running } = launch(otelcolBinary(), ['--config', OTELCOL_CONFIG], {
    OTELCOL_OTLP_GRPC_ENDPOINT: `127.0.0.1:${grpc}`,
    OTELCOL_OTLP_HTTP_ENDPOINT: `127.0.0.1:${http}`,
    OTELCOL_PROMETHEUS_ENDPOINT: `127.0.0.1:${prometheus}`,
    OTELCOL_TELEMETRY_HOST: '127.0.0.1',
    OTELCOL_TELEMETRY_PORT: String(telemetry),
    TOKENMETER_SINK_ENDPOINT: sinkUrl,
    TOKENMETER_INGEST_TOKEN: ingestToken,
  });
  try {
    await waitFor('the Collector to listen', async () => {
      if (child.exitCode !== null) throw new Error(`the Collector exited (${child.exitCode}):\n${running.output()}`);
      return (await isUp(`http://127.0.0.1:${telemetry}/metrics`)) && (await fetch(`http://127.0.0.1:${http}/v1/traces`, { method: 'GET' }).then(() => true));
    });
  } catch (error) {
    await running.stop();
    throw error;
  }
  return {
    ...running,
    otlpHttpUrl: `http://127.0.0.1:${http}`,
    prometheusTarget: `127.0.0.1:${prometheus}`,
    telemetryTarget: `127.0.0.1:${telemetry}`,
  };
}

export interface RunningPrometheus extends RunningProcess {
  url: string;
  /** Instant query; the result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
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
  const { child, process: running } = launch(
    join(prometheusDir(), 'prometheus'),
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    {},
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Prometheus to be ready', async () => {
      if (child.exitCode !== null) throw new Error(`Prometheus exited (${child.exitCode}):\n${running.output()}`);
      return isUp(`${url}/-/ready`);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    output: running.output,
    stop,
    url,
    query: async (promql) => {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; error?: string; data: { result: never[] } };
      if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error}`);
      return body.data.result;
    },
  };
}

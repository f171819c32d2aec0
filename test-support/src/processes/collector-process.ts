// The Tokenmeter Collector distribution, run with collector/otelcol.yaml on the given ports.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answers, ensureRunning, ManagedProcess, waitFor } from './managed-process';

export interface CollectorPorts {
  otlpGrpc: number;
  otlpHttp: number;
  prometheusExporter: number;
  telemetry: number;
}

export interface RunningCollector {
  process: ManagedProcess;
  /** The persistent sending queue's directory. */
  storageDir: string;
  otlpHttpUrl: string;
  /** The bearer token the OTLP receivers require. */
  otlpToken: string;
  /** The headers a sender gives its OTLP exporter: `Authorization: Bearer <otlpToken>`. */
  otlpHeaders: Record<string, string>;
  /** host:port of the Prometheus exporter (the services' metrics). */
  metricsTarget: string;
  /** host:port of the Collector's own metrics. */
  telemetryTarget: string;
}

/** collector/otelcol.yaml, the configuration the @tokenmeter/collector package ships. */
export const COLLECTOR_CONFIG = require.resolve('@tokenmeter/collector/otelcol.yaml');

export async function startCollector(options: {
  binary: string;
  ports: CollectorPorts;
  sinkUrl: string;
  /**
   * Bearer token the Collector sends to the sink; a random one when not given (a sink without a
   * token of its own accepts any). The Collector refuses to start without one (otelcol.yaml).
   */
  ingestToken?: string;
  /** Bearer token services must send to the OTLP receivers; a random one when not given. */
  otlpToken?: string;
  logFile?: string;
  /**
   * Directory of the persistent sending queue (file_storage); a fresh one by default. Give the
   * directory of a Collector that stopped to deliver what it had queued.
   */
  storageDir?: string;
}): Promise<RunningCollector> {
  const { ports } = options;
  const storageDir = options.storageDir ?? mkdtempSync(join(tmpdir(), 'tm-otelcol-queue-'));
  const otlpToken = options.otlpToken || randomBytes(16).toString('hex');
  const ingestToken = options.ingestToken || randomBytes(16).toString('hex');
  const process = new ManagedProcess(
    'the Collector',
    options.binary,
    ['--config', COLLECTOR_CONFIG],
    {
      logFile: options.logFile,
      env: {
        OTELCOL_OTLP_GRPC_ENDPOINT: `127.0.0.1:${ports.otlpGrpc}`,
        OTELCOL_OTLP_HTTP_ENDPOINT: `127.0.0.1:${ports.otlpHttp}`,
        OTELCOL_PROMETHEUS_ENDPOINT: `127.0.0.1:${ports.prometheusExporter}`,
        OTELCOL_TELEMETRY_HOST: '127.0.0.1',
        OTELCOL_TELEMETRY_PORT: String(ports.telemetry),
        TOKENMETER_SINK_ENDPOINT: options.sinkUrl,
        OTELCOL_STORAGE_DIR: storageDir,
        TOKENMETER_OTLP_TOKEN: otlpToken,
        TOKENMETER_INGEST_TOKEN: ingestToken,
      },
    },
  );
  try {
    await waitFor('the Collector to listen', async () => {
      ensureRunning(process);
      if (!(await answers(`http://127.0.0.1:${ports.telemetry}/metrics`))) return undefined;
      // The OTLP receiver answers 405 to GET once it listens.
      await fetch(`http://127.0.0.1:${ports.otlpHttp}/v1/traces`, {
        signal: AbortSignal.timeout(2000),
      });
      return true;
    });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return {
    process,
    storageDir,
    otlpHttpUrl: `http://127.0.0.1:${ports.otlpHttp}`,
    otlpToken,
    otlpHeaders: { authorization: `Bearer ${otlpToken}` },
    metricsTarget: `127.0.0.1:${ports.prometheusExporter}`,
    telemetryTarget: `127.0.0.1:${ports.telemetry}`,
  };
}

// The demo service as its own process (it runs its own OpenTelemetry SDK), from the built package.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureRunning, ManagedProcess, waitFor } from '@tokenmeter/test-support';

export interface DemoServiceProcessOptions {
  port: number;
  databaseUrl: string;
  providerBaseUrl: string;
  /** OTLP/HTTP base URL of the Collector (traces and metrics)… */
  otlpEndpoint?: string;
  /** Headers the Collector requires (`authorization: Bearer <TOKENMETER_OTLP_TOKEN>`). */
  otlpHeaders?: Record<string, string>;
  /** …or, without a Collector, the sink's base URL: traces only, metrics off. */
  sinkUrl?: string;
  redisUrl?: string;
  metricExportIntervalMs?: number;
  logFile?: string;
}

export interface RunningDemoServiceProcess {
  process: ManagedProcess;
  url: string;
}

/** demo/dist/service/main.js; throws with the fix when the package is not built. */
export function serviceEntryPoint(): string {
  const entry = resolve(__dirname, '../../dist/service/main.js');
  if (!existsSync(entry))
    throw new Error(`${entry} is missing: build first (npm run build at the repository root)`);
  return entry;
}

export async function startDemoServiceProcess(
  options: DemoServiceProcessOptions,
): Promise<RunningDemoServiceProcess> {
  const telemetry: NodeJS.ProcessEnv = options.otlpEndpoint
    ? {
        OTEL_EXPORTER_OTLP_ENDPOINT: options.otlpEndpoint,
        // The SDK's own variable (comma-separated key=value, URL-encoded).
        OTEL_EXPORTER_OTLP_HEADERS: Object.entries(options.otlpHeaders ?? {})
          .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
          .join(','),
      }
    : {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${options.sinkUrl}/v1/traces`,
        OTEL_METRICS_EXPORTER: 'none',
      };
  const process = new ManagedProcess(
    'the demo service',
    globalThis.process.execPath,
    [serviceEntryPoint()],
    {
      logFile: options.logFile,
      env: {
        ...telemetry,
        OTEL_SERVICE_NAME: 'tokenmeter-demo',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: String(options.metricExportIntervalMs ?? 5000),
        OTEL_BSP_SCHEDULE_DELAY: '1000',
        HOST: '127.0.0.1',
        PORT: String(options.port),
        DATABASE_URL: options.databaseUrl,
        OPENAI_BASE_URL: options.providerBaseUrl,
        OPENAI_API_KEY: 'sk-demo-system',
        REDIS_URL: options.redisUrl ?? '',
        HEALTH_INTERVAL_MS: '10000',
      },
    },
  );
  const url = `http://127.0.0.1:${options.port}`;
  try {
    // /health answers 503 while a dependency is down (Redis in most demos): any answer means it serves.
    await waitFor('the demo service to listen', async () => {
      ensureRunning(process);
      await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then((r) =>
        r.arrayBuffer(),
      );
      return true;
    });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { process, url };
}

#!/usr/bin/env node
// `npm run start:service -w @tokenmeter/demo` and the docker-compose `demo` service. Configuration
// (README): PORT, HOST, DATABASE_URL, REDIS_URL, OPENAI_BASE_URL, OPENAI_API_KEY, HEALTH_INTERVAL_MS,
// and the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_METRIC_EXPORT_INTERVAL...).
import { setupTokenmeter } from '@tokenmeter/instrumentation';
import { numberFromEnv } from '../env';

const log = (message: string): void => console.log(`[tokenmeter-demo] ${message}`);

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('DATABASE_URL is not set (the demo service keeps its nodes in PostgreSQL)');
  const tokenmeter = setupTokenmeter({
    serviceName: process.env.OTEL_SERVICE_NAME ? undefined : 'tokenmeter-demo',
  });
  // Loaded after setupTokenmeter so that express and http are instrumented.
  const { startDemoService } = await import('./server');
  const service = await startDemoService({
    host: process.env.HOST ?? '0.0.0.0',
    port: numberFromEnv('PORT', 8080, { integer: true }),
    databaseUrl,
    redisUrl: process.env.REDIS_URL || undefined,
    providerBaseUrl: process.env.OPENAI_BASE_URL ?? 'http://127.0.0.1:8081/v1',
    providerKey: process.env.OPENAI_API_KEY ?? 'sk-demo-system',
    healthIntervalMs: numberFromEnv('HEALTH_INTERVAL_MS', 15_000, { integer: true }),
    log,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    service
      .close()
      .then(() => tokenmeter.shutdown())
      .then(
        () => process.exit(0),
        (error: Error) => {
          console.error(`[tokenmeter-demo] unclean stop: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  console.error(`[tokenmeter-demo] failed to start: ${error.message}`);
  process.exit(1);
});

#!/usr/bin/env node
// `npm run start:service -w @tokenmeter/demo` and the docker-compose `demo` service. Configuration
// (README): PORT, HOST, DATABASE_URL, REDIS_URL, OPENAI_BASE_URL, OPENAI_API_KEY, HEALTH_INTERVAL_MS,
// and the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_METRIC_EXPORT_INTERVAL...).
import { setupTokenmeter } from '@tokenmeter/instrumentation';
import { readSettings } from '@tokenmeter/conventions';
import { SERVICE_SETTINGS } from '../settings';

const log = (message: string): void => console.log(`[tokenmeter-demo] ${message}`);

async function main(): Promise<void> {
  const { databaseUrl, ...settings } = readSettings(SERVICE_SETTINGS, process.env);
  if (!databaseUrl)
    throw new Error('DATABASE_URL is not set (the demo service keeps its nodes in PostgreSQL)');
  const tokenmeter = setupTokenmeter({
    serviceName: process.env.OTEL_SERVICE_NAME ? undefined : 'tokenmeter-demo',
  });
  // Loaded after setupTokenmeter so that express and http are instrumented.
  const { startDemoService } = await import('./server');
  const service = await startDemoService({ ...settings, databaseUrl, log });
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

#!/usr/bin/env node
// `npm run demo` (README): runs until Ctrl-C. Options: TOKENMETER_DATABASE_URL (or DATABASE_URL),
// REDIS_URL, OTELCOL_BIN, PROMETHEUS_BIN, DEMO_RATE (live actions per second), DEMO_BACKFILL_DAYS.
import { databaseUrlFromEnv, readSettings } from '@tokenmeter/conventions';
import { ORCHESTRATOR_SETTINGS } from '../settings';
import { runDemo, type RunningDemo } from './demo';

async function main(): Promise<void> {
  console.log('Tokenmeter demo — starting the pipeline (Ctrl-C stops everything)\n');
  const running: { demo?: RunningDemo } = {};
  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      console.log('\nForced exit.');
      process.exit(130);
    }
    stopping = true;
    console.log('\nStopping…');
    void (running.demo?.stop() ?? Promise.resolve()).then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const demo = await runDemo({
    databaseUrl: databaseUrlFromEnv(),
    ...readSettings(ORCHESTRATOR_SETTINGS, process.env),
    color: process.stdout.isTTY === true,
  });
  running.demo = demo;
  if (stopping) await demo.stop();
  else console.log('\nRunning — live traffic keeps flowing. Press Ctrl-C to stop.');
}

main().catch((error: Error) => {
  console.error(`\nThe demo could not start: ${error.message}`);
  process.exit(1);
});

#!/usr/bin/env node
// `npm run traffic -w @tokenmeter/demo -- [options]`: backfills history and/or sends live traffic.
import { parseArgs } from 'node:util';
import { demoUsers } from '../world';
import { backfill } from './backfill';
import { runLiveTraffic } from './live-traffic';

const USAGE = `usage: traffic [--backfill-days N] [--calls-per-day N] [--otlp-endpoint URL]
               [--rate PER_SECOND] [--actions N] [--service-url URL] [--seed TEXT] [--users N]
  --backfill-days   days of history to write through OTLP first (0 = none; default 0)
  --otlp-endpoint   OTLP/HTTP base URL of the Collector or sink (default http://127.0.0.1:4318)
  --rate            live actions per second against the demo service (0 = no live traffic; default 2)
  --actions         stop after this many live actions (default: until Ctrl-C)`;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`--${name} must be a non-negative number, got "${raw}"\n${USAGE}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'backfill-days': { type: 'string' },
      'calls-per-day': { type: 'string' },
      'otlp-endpoint': { type: 'string', default: 'http://127.0.0.1:4318' },
      rate: { type: 'string' },
      actions: { type: 'string' },
      'service-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      seed: { type: 'string', default: 'tokenmeter-demo' },
      users: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const users = demoUsers(values.seed, positive('users', values.users, 40));
  const days = positive('backfill-days', values['backfill-days'], 0);
  if (days > 0) {
    const sent = await backfill({
      otlpEndpoint: values['otlp-endpoint'],
      seed: values.seed,
      users,
      days,
      callsPerDay: positive('calls-per-day', values['calls-per-day'], 150),
    });
    console.log(JSON.stringify({ backfill: sent.toJSON().total }));
  }
  const rate = positive('rate', values.rate, 2);
  if (rate === 0) return;
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const actions = values.actions === undefined ? undefined : positive('actions', values.actions, 0);
  const sent = await runLiveTraffic({
    serviceUrl: values['service-url'],
    seed: values.seed,
    users,
    ratePerSecond: rate,
    actions,
    signal: abort.signal,
  });
  console.log(JSON.stringify({ live: sent.toJSON() }));
}

main().catch((error: Error) => {
  console.error(`[traffic] ${error.message}`);
  process.exit(1);
});

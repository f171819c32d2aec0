export { startSink, type RunningSink } from './sink';
export {
  configFromEnv,
  withDefaults,
  DEFAULT_SINK_PORT,
  type SinkConfig,
  type SinkOptions,
} from './sink-config';
export { migrate, MIGRATIONS_DIR, type MigrateOptions } from './db/migrate';
export { dropExpiredPartitions } from './db/retention';
export { rebuildRollups, storedIn } from './ledger/rollups';
export { closeRollupDays } from './ledger/day-closing';
export { SinkMetrics } from './sink-metrics';

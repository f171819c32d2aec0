import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { migrate } from './db/migrate';
import { syncModelPrices } from './db/model-prices';
import { dropExpiredPartitions } from './db/retention';
import { createSinkApp } from './http/sink-app';
import { closeRollupDays } from './ledger/day-closing';
import { GroupCommit } from './ledger/group-commit';
import { LedgerWriter } from './ledger/ledger-writer';
import { rowStagingFor, type RowStaging } from './ledger/row-staging';
import { TraceIngestor } from './ledger/trace-ingestor';
import { withDefaults, type SinkOptions } from './sink-config';
import { SinkMetrics } from './sink-metrics';

/** How often the sink checks for a UTC day to close (./ledger/day-closing): soon after midnight. */
const DAY_CLOSING_INTERVAL_MS = 5 * 60 * 1000;

export interface RunningSink {
  /** Base URL, e.g. http://127.0.0.1:4319 (POST /v1/traces, GET /healthz, GET /metrics). */
  url: string;
  port: number;
  metrics: SinkMetrics;
  /** Runs retention now; returns the dropped partitions. */
  applyRetention(): Promise<string[]>;
  /** Folds the UTC days before today not yet closed into the closed-days rollups now. */
  closeDays(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the usage sink: migrates the schema (unless disabled), loads the price list into
 * model_prices, then serves OTLP/HTTP traces. Rejects when PostgreSQL cannot be reached at start.
 */
export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const config = withDefaults(options);
  if (config.migrate) await migrate(config.databaseUrl);
  const pool = new Pool({
    connectionString: config.databaseUrl,
    max: config.poolSize,
    connectionTimeoutMillis: config.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'tokenmeter-sink',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process.
  pool.on('error', (error) => config.log(`idle database connection lost: ${error.message}`));
  let staging: RowStaging;
  try {
    await syncModelPrices(pool, config.catalog);
    staging = await rowStagingFor(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const metrics = new SinkMetrics({ processMetrics: config.processMetrics });
  const writer = new LedgerWriter(pool, staging);
  const commits = new GroupCommit(writer, {
    maxRowsPerCommit: config.maxRowsPerCommit,
    maxQueuedRows: config.maxQueuedRows,
    writers: config.writers,
    onCommit: ({ inserted, seconds }) => {
      metrics.databaseUp.set(1);
      metrics.rowsWritten.inc(inserted);
      metrics.batchDuration.observe(seconds);
    },
  });
  const ingestor = new TraceIngestor(commits, config.catalog, config.retentionDays);
  const app = createSinkApp({ config, ingestor, pool, metrics });

  const applyRetention = async (): Promise<string[]> => {
    if (config.retentionDays <= 0) return [];
    const dropped = await dropExpiredPartitions(pool, config.retentionDays);
    if (dropped.length > 0) {
      writer.forgetPartitions();
      config.log(`retention: dropped ${dropped.join(', ')}`);
    }
    return dropped;
  };
  const closeDays = async (): Promise<void> => {
    const closed = await closeRollupDays(pool);
    if (closed) config.log(`rollups: closed the UTC days ${closed.from} to ${closed.to}`);
  };
  const upkeep = (task: () => Promise<unknown>, intervalMs: number, name: string): NodeJS.Timeout => {
    const run = (): void => {
      task().catch((error: Error) => config.log(`${name} failed (will retry): ${error.message}`));
    };
    run();
    return setInterval(run, intervalMs).unref();
  };
  const retentionTimer = upkeep(applyRetention, config.retentionIntervalMs, 'retention');
  const dayClosingTimer = upkeep(closeDays, DAY_CLOSING_INTERVAL_MS, 'closing days');

  const server = await listen(app, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  config.log(`listening on http://${config.host}:${port} (catalog ${config.catalog.version})`);

  return {
    url: `http://${host}:${port}`,
    port,
    metrics,
    applyRetention,
    closeDays,
    close: async () => {
      clearInterval(retentionTimer);
      clearInterval(dayClosingTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await pool.end();
    },
  };
}

function listen(app: ReturnType<typeof createSinkApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localeCollationWarning } from './db/collation';
import { migrate } from './db/migrate';
import { UsedPriceRecorder } from './db/model-prices';
import { createSinkPool } from './db/pool';
import { dropExpiredPartitions } from './db/retention';
import { WriteHealth } from './db/write-health';
import { createSinkApp } from './http/sink-app';
import { closeRollupDays } from './ledger/day-closing';
import { GroupCommit } from './ledger/group-commit';
import { LedgerWriter } from './ledger/ledger-writer';
import { rowStagingFor, type RowStaging } from './ledger/row-staging';
import { TraceIngestor } from './ledger/trace-ingestor';
import { UserIdPseudonyms } from './ledger/user-pseudonyms';
import { storedAttributeNames } from './dialects';
import { withDefaults, type SinkConfig, type SinkOptions } from './sink-config';
import { SinkMetrics } from './sink-metrics';

/** How often the prices used for the first time are written to model_prices. */
const MODEL_PRICES_INTERVAL_MS = 5_000;

/** How often the sink checks for a UTC day to close (./ledger/day-closing): soon after midnight. */
const DAY_CLOSING_INTERVAL_MS = 5 * 60 * 1000;

export interface RunningSink {
  /** Base URL, e.g. http://127.0.0.1:4319 (POST /v1/traces, GET /healthz, GET /metrics). */
  url: string;
  port: number;
  metrics: SinkMetrics;
  /** Runs retention now; returns the dropped partitions. */
  applyRetention(): Promise<string[]>;
  /** Writes the prices used for the first time since the last write to model_prices now. */
  recordModelPrices(): Promise<number>;
  /** Folds the UTC days before today not yet closed into the closed-days rollups now. */
  closeDays(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the usage sink: migrates the schema (unless disabled), checks PostgreSQL, then serves
 * OTLP/HTTP traces; each price it uses is listed in model_prices. Rejects when PostgreSQL cannot be
 * reached at start.
 */
export async function startSink(options: SinkOptions): Promise<RunningSink> {
  const config = withDefaults(options);
  // Refused before anything starts: a short key, a content attribute on the allow-list.
  const mapping = {
    storedAttributes: storedAttributeNames(config.storedAttributes),
    ...(config.userIdHmacKey ? { userIds: new UserIdPseudonyms(config.userIdHmacKey) } : {}),
  };
  if (config.migrate) await migrate(config.databaseUrl);
  const pool = createSinkPool({
    databaseUrl: config.databaseUrl,
    size: config.poolSize,
    acquireTimeoutMs: config.acquireTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    log: config.log,
  });
  const usedPrices = new UsedPriceRecorder(pool);
  config.catalog.onFirstUse((price) => usedPrices.add(price));
  let staging: RowStaging;
  try {
    // Fails the start, as the docs promise, when PostgreSQL or the schema cannot be reached.
    await pool.query('SELECT 1 FROM tokenmeter.model_prices LIMIT 1');
    staging = await rowStagingFor(pool);
    const collationWarning = await localeCollationWarning(pool);
    if (collationWarning) config.log(`warning: ${collationWarning}`);
  } catch (error) {
    await pool.end();
    throw error;
  }

  const metrics = new SinkMetrics({ processMetrics: config.processMetrics });
  const writer = new LedgerWriter(pool, staging);
  // A write that fails for want of the database keeps /healthz down for a few Retry-After periods.
  const writeHealth = new WriteHealth(config.statementTimeoutMs, Math.max(30_000, 3 * config.retryAfterSeconds * 1000));
  const commits = new GroupCommit({ write: (batches) => writeHealth.track(writer.write(batches)) }, {
    maxRowsPerCommit: config.maxRowsPerCommit,
    maxQueuedRows: config.maxQueuedRows,
    writers: config.writers,
    onCommit: ({ inserted, seconds }) => {
      metrics.databaseUp.set(1);
      metrics.rowsWritten.inc(inserted);
      metrics.batchDuration.observe(seconds);
    },
  });
  const ingestor = new TraceIngestor(commits, config.catalog, config.retentionDays, config.log, mapping);
  const app = createSinkApp({ config, ingestor, pool, writeHealth, metrics });

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
  const recordModelPrices = (): Promise<number> => usedPrices.flush();
  const modelPricesTimer = upkeep(recordModelPrices, MODEL_PRICES_INTERVAL_MS, 'recording model prices');

  const server = await listen(app, config);
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  config.log(`listening on http://${config.host}:${port} (catalog ${config.catalog.version})`);

  return {
    url: `http://${host}:${port}`,
    port,
    metrics,
    applyRetention,
    recordModelPrices,
    closeDays,
    close: async () => {
      clearInterval(retentionTimer);
      clearInterval(dayClosingTimer);
      clearInterval(modelPricesTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await recordModelPrices().catch((error: Error) => config.log(`recording model prices failed: ${error.message}`));
      await pool.end();
    },
  };
}

// Slow clients: headers and whole requests have deadlines (Node answers 408 and closes), checked every
// second; the body's rate floor is read-body's.
function listen(app: ReturnType<typeof createSinkApp>, config: SinkConfig): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(
      {
        headersTimeout: Math.min(config.headersTimeoutMs, config.requestTimeoutMs),
        requestTimeout: config.requestTimeoutMs,
        connectionsCheckingInterval: 1000,
      },
      app,
    );
    server.listen(config.port, config.host);
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

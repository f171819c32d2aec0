import { PricingCatalog } from '@tokenmeter/conventions';

export interface SinkConfig {
  databaseUrl: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** When set, POST /v1/traces requires `Authorization: Bearer <token>`. */
  ingestToken?: string;
  /** Largest accepted body after decompression, in bytes (413 above). */
  maxBodyBytes: number;
  /**
   * Memory ceiling for request bodies being received, decompressed, decoded or written, in bytes:
   * each request holds its Content-Length from the start and its decompressed bytes as they arrive;
   * a request that would go over is answered 503 before more of it is read or anything decoded (a
   * request alone is always admitted).
   */
  maxInflightBytes: number;
  /** Time a client has to send the request headers (Node's headersTimeout; 408 after). */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, headers and body (Node's requestTimeout; 408 after). */
  requestTimeoutMs: number;
  /** Slowest average body upload accepted once `bodyRateGraceMs` have passed, in bytes per second (408 below). */
  minBodyBytesPerSecond: number;
  bodyRateGraceMs: number;
  /**
   * PostgreSQL cancels a sink statement running longer than this (statement_timeout); a backend that
   * does not answer at all is given up shortly after. Either way the request is answered 503.
   */
  statementTimeoutMs: number;
  poolSize: number;
  /** Requests being decoded or written at once; more are answered 503 (the Collector retries). */
  maxInFlight: number;
  /** Most rows one transaction writes (concurrent requests are merged up to this). */
  maxRowsPerCommit: number;
  /** Rows waiting for the database beyond which requests are answered 503 (saturated). */
  maxQueuedRows: number;
  /** Write transactions running at once. */
  writers: number;
  /** How long a request waits for a database connection before it is answered 503. */
  acquireTimeoutMs: number;
  retryAfterSeconds: number;
  /** Days of llm_calls kept (whole daily partitions dropped after); 0 keeps everything. */
  retentionDays: number;
  retentionIntervalMs: number;
  /** Run the migrations at start. */
  migrate: boolean;
  catalog: PricingCatalog;
  /** Expose process metrics (CPU, memory, event loop) on /metrics. */
  processMetrics: boolean;
  log: (message: string) => void;
}

export type SinkOptions = Pick<SinkConfig, 'databaseUrl'> & Partial<SinkConfig>;

export const DEFAULT_SINK_PORT = 4319;

export function withDefaults(options: SinkOptions): SinkConfig {
  return {
    host: '127.0.0.1',
    port: DEFAULT_SINK_PORT,
    maxBodyBytes: 16 * 1024 * 1024,
    maxInflightBytes: 32 * 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    minBodyBytesPerSecond: 1024,
    bodyRateGraceMs: 5000,
    statementTimeoutMs: 15_000,
    poolSize: 4,
    maxInFlight: 16,
    maxRowsPerCommit: 10_000,
    maxQueuedRows: 40_000,
    writers: 1,
    acquireTimeoutMs: 5000,
    retryAfterSeconds: 5,
    retentionDays: 400,
    retentionIntervalMs: 6 * 60 * 60 * 1000,
    migrate: true,
    catalog: options.catalog ?? PricingCatalog.load(),
    processMetrics: true,
    log: (message) => console.log(`[tokenmeter-sink] ${message}`),
    ...options,
  };
}

/** The sink's configuration from environment variables (README: "Configuration"). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): SinkConfig {
  const databaseUrl = env.TOKENMETER_DATABASE_URL ?? env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error('TOKENMETER_DATABASE_URL is not set (e.g. postgres://tokenmeter@localhost:5432/tokenmeter)');
  }
  return withDefaults({
    databaseUrl,
    host: env.TOKENMETER_SINK_HOST ?? '0.0.0.0',
    port: integer(env, 'TOKENMETER_SINK_PORT', DEFAULT_SINK_PORT, 0),
    ingestToken: env.TOKENMETER_INGEST_TOKEN || undefined,
    maxBodyBytes: integer(env, 'TOKENMETER_SINK_MAX_BODY_BYTES', 16 * 1024 * 1024, 1024),
    maxInflightBytes: integer(env, 'TOKENMETER_SINK_MAX_INFLIGHT_BYTES', 32 * 1024 * 1024, 1024),
    headersTimeoutMs: integer(env, 'TOKENMETER_SINK_HEADERS_TIMEOUT_MS', 10_000, 1),
    requestTimeoutMs: integer(env, 'TOKENMETER_SINK_REQUEST_TIMEOUT_MS', 30_000, 1),
    minBodyBytesPerSecond: integer(env, 'TOKENMETER_SINK_MIN_BODY_BYTES_PER_S', 1024, 0),
    bodyRateGraceMs: integer(env, 'TOKENMETER_SINK_BODY_RATE_GRACE_MS', 5000, 1),
    statementTimeoutMs: integer(env, 'TOKENMETER_SINK_STATEMENT_TIMEOUT_MS', 15_000, 1),
    poolSize: integer(env, 'TOKENMETER_SINK_POOL_SIZE', 4, 1),
    maxInFlight: integer(env, 'TOKENMETER_SINK_MAX_IN_FLIGHT', 16, 1),
    maxRowsPerCommit: integer(env, 'TOKENMETER_SINK_MAX_ROWS_PER_COMMIT', 10_000, 1),
    maxQueuedRows: integer(env, 'TOKENMETER_SINK_MAX_QUEUED_ROWS', 40_000, 1),
    writers: integer(env, 'TOKENMETER_SINK_WRITERS', 1, 1),
    acquireTimeoutMs: integer(env, 'TOKENMETER_SINK_ACQUIRE_TIMEOUT_MS', 5000, 1),
    retryAfterSeconds: integer(env, 'TOKENMETER_SINK_RETRY_AFTER_S', 5, 1),
    retentionDays: integer(env, 'TOKENMETER_RETENTION_DAYS', 400, 0),
    migrate: (env.TOKENMETER_SINK_MIGRATE ?? 'true') !== 'false',
    catalog: PricingCatalog.fromEnv(env),
  });
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

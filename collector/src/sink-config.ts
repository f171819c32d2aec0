import {
  DEFAULT_SINK_PORT,
  SINK_SETTINGS,
  requireDatabaseUrl,
  settingDefaults,
  sinkSettingsFromEnv,
  type Environment,
} from '@tokenmeter/conventions';
import { PricingCatalog } from '@tokenmeter/conventions';

export { DEFAULT_SINK_PORT };

export interface SinkConfig {
  databaseUrl: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** When set, POST /v1/traces, GET /healthz and GET /metrics require `Authorization: Bearer <token>`. */
  ingestToken?: string;
  /** When set, user ids are stored as HMAC-SHA256(key, id) in hex (ledger/user-pseudonyms). */
  userIdHmacKey?: string;
  /** Attribute names stored in `attributes` besides the documented set (dialects STORED_ATTRIBUTES). */
  storedAttributes?: readonly string[];
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

export function withDefaults(options: SinkOptions): SinkConfig {
  return {
    ...(settingDefaults(SINK_SETTINGS) as Omit<SinkConfig, 'databaseUrl' | 'catalog' | 'log'>),
    // Started from code (tests, the demo), the sink listens on loopback unless told otherwise.
    host: '127.0.0.1',
    retentionIntervalMs: 6 * 60 * 60 * 1000,
    catalog: options.catalog ?? PricingCatalog.load(),
    processMetrics: true,
    log: (message) => console.log(`[tokenmeter-sink] ${message}`),
    ...options,
  };
}

/** The sink's configuration from environment variables (conventions' settings: database and sink). */
export function configFromEnv(env: Environment = process.env): SinkConfig {
  return withDefaults({
    ...sinkSettingsFromEnv(env),
    databaseUrl: requireDatabaseUrl(env),
    catalog: PricingCatalog.fromEnv(env),
  });
}

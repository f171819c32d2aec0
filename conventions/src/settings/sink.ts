// The usage sink's settings (collector/README.md, "Configuration"). The database is ./database.
import { flag, list, numeric, optionalText, readSettings, text, type Environment } from './setting';

export const DEFAULT_SINK_PORT = 4319;

export const SINK_SETTINGS = {
  host: text(
    'TOKENMETER_SINK_HOST',
    '127.0.0.1',
    'listen address (loopback by default; 0.0.0.0 to accept other hosts, as compose sets it)',
  ),
  port: numeric('TOKENMETER_SINK_PORT', DEFAULT_SINK_PORT, 'listen port (0 picks a free one)'),
  ingestToken: optionalText(
    ['TOKENMETER_INGEST_TOKEN'],
    'when set, POST /v1/traces, GET /healthz and GET /metrics require Authorization: Bearer <token>',
  ),
  userIdHmacKey: optionalText(
    ['TOKENMETER_USER_ID_HMAC_KEY'],
    'when set, user ids are stored as HMAC-SHA256(key, id) in hex (pseudonymised), whatever the emitter',
  ),
  storedAttributes: list(
    'TOKENMETER_SINK_STORED_ATTRIBUTES',
    'span attribute names stored in the ledger besides the documented set, comma-separated (never message content)',
  ),
  maxBodyBytes: numeric(
    'TOKENMETER_SINK_MAX_BODY_BYTES',
    16 * 1024 * 1024,
    'largest body after decompression (413 above)',
    { min: 1024 },
  ),
  maxInflightBytes: numeric(
    'TOKENMETER_SINK_MAX_INFLIGHT_BYTES',
    32 * 1024 * 1024,
    'memory ceiling for bodies being received, inflated, decoded or written (503 above)',
    { min: 1024 },
  ),
  headersTimeoutMs: numeric(
    'TOKENMETER_SINK_HEADERS_TIMEOUT_MS',
    10_000,
    'time a client has to send the request headers (408 after)',
    { min: 1 },
  ),
  requestTimeoutMs: numeric(
    'TOKENMETER_SINK_REQUEST_TIMEOUT_MS',
    30_000,
    'time a client has to send the whole request (408 after)',
    { min: 1 },
  ),
  minBodyBytesPerSecond: numeric(
    'TOKENMETER_SINK_MIN_BODY_BYTES_PER_S',
    1024,
    'slowest body upload accepted after the grace period; 0 turns the floor off (408 below)',
    { min: 0 },
  ),
  bodyRateGraceMs: numeric(
    'TOKENMETER_SINK_BODY_RATE_GRACE_MS',
    5000,
    'time before the body-rate floor applies',
    { min: 1 },
  ),
  statementTimeoutMs: numeric(
    'TOKENMETER_SINK_STATEMENT_TIMEOUT_MS',
    15_000,
    'PostgreSQL statement timeout of the sink (503 after)',
    { min: 1 },
  ),
  maxInFlight: numeric(
    'TOKENMETER_SINK_MAX_IN_FLIGHT',
    16,
    'requests decoded or written at once (503 above)',
    { min: 1 },
  ),
  maxRowsPerCommit: numeric(
    'TOKENMETER_SINK_MAX_ROWS_PER_COMMIT',
    10_000,
    'most rows per transaction (group commit)',
    { min: 1 },
  ),
  maxQueuedRows: numeric(
    'TOKENMETER_SINK_MAX_QUEUED_ROWS',
    40_000,
    'rows waiting for the database before 503',
    { min: 1 },
  ),
  writers: numeric('TOKENMETER_SINK_WRITERS', 1, 'write transactions at once', { min: 1 }),
  poolSize: numeric('TOKENMETER_SINK_POOL_SIZE', 4, 'PostgreSQL connections', { min: 1 }),
  acquireTimeoutMs: numeric(
    'TOKENMETER_SINK_ACQUIRE_TIMEOUT_MS',
    5000,
    'wait for a connection before 503',
    { min: 1 },
  ),
  retryAfterSeconds: numeric('TOKENMETER_SINK_RETRY_AFTER_S', 5, 'Retry-After of 503 answers', {
    min: 1,
  }),
  retentionDays: numeric(
    'TOKENMETER_RETENTION_DAYS',
    400,
    'days of llm_calls kept; 0 keeps everything',
  ),
  migrate: flag('TOKENMETER_SINK_MIGRATE', true, 'run the migrations at start'),
};

export type SinkSettings = ReturnType<typeof sinkSettingsFromEnv>;

/** The sink's settings from the environment; a clear error names a variable that cannot be read. */
export const sinkSettingsFromEnv = (env: Environment = process.env) =>
  readSettings(SINK_SETTINGS, env);

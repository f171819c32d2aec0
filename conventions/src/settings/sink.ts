// The usage sink's settings (collector/README.md, "Configuration"). The database is ./database.
import { flag, numeric, optionalText, readSettings, text, type Environment } from './setting';

export const DEFAULT_SINK_PORT = 4319;

export const SINK_SETTINGS = {
  host: text('TOKENMETER_SINK_HOST', '0.0.0.0', 'listen address'),
  port: numeric('TOKENMETER_SINK_PORT', DEFAULT_SINK_PORT, 'listen port (0 picks a free one)'),
  ingestToken: optionalText(
    ['TOKENMETER_INGEST_TOKEN'],
    'when set, POST /v1/traces requires Authorization: Bearer <token>',
  ),
  maxBodyBytes: numeric(
    'TOKENMETER_SINK_MAX_BODY_BYTES',
    16 * 1024 * 1024,
    'largest body after decompression (413 above)',
    { min: 1024 },
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

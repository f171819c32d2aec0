import { Pool, type PoolClient } from 'pg';
import { isServerError } from './database-errors';

export interface SinkPoolOptions {
  databaseUrl: string;
  size: number;
  /** How long a request waits for a connection (and a new connection for PostgreSQL's answer). */
  acquireTimeoutMs: number;
  /** PostgreSQL cancels a statement running longer than this (statement_timeout). */
  statementTimeoutMs: number;
  log: (message: string) => void;
}

/** Extra time the client gives PostgreSQL to report its own statement timeout before giving up itself. */
const CLIENT_TIMEOUT_MARGIN_MS = 2000;

/**
 * The sink's PostgreSQL pool. A statement running too long is cancelled by the server
 * (statement_timeout); a backend that does not answer at all (frozen, or the network gone) is given up
 * by the client shortly after (query_timeout), and TCP keepalive notices a peer that vanished. Every
 * connection, idle or checked out, has an error listener: a connection dropped by the server
 * (shutdown, restart, failover) fails the query that was using it and never the process.
 */
export function createSinkPool(options: SinkPoolOptions): Pool {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    max: options.size,
    connectionTimeoutMillis: options.acquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'tokenmeter-sink',
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // Idle connections: the pool removes the connection and emits this.
  pool.on('error', (error) => options.log(`idle database connection lost: ${error.message}`));
  // Checked-out connections: pg-pool takes its own listener off while a client is lent out, and a
  // client emitting 'error' with no listener would end the process. The query in progress fails
  // with the same error; the writer then discards the connection.
  pool.on('connect', (client) => {
    client.on('error', (error) => options.log(`database connection lost: ${error.message}`));
  });
  return pool;
}

/**
 * Rolls back after an error PostgreSQL reported, so the connection can be used again. After a
 * timeout or a lost connection nothing is sent: a ROLLBACK would wait behind the unanswered
 * statement, and the caller discards the connection anyway.
 */
export async function rollBackIfAnswering(client: PoolClient, error: unknown): Promise<void> {
  if (isServerError(error)) await client.query('ROLLBACK').catch(() => undefined);
}

/** The database cannot take the write now (down, restarting, saturated): the sender should retry (HTTP 503). */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * PostgreSQL itself answered with this error (it has a SQLSTATE), so the connection still works and
 * can roll back; a timeout or a lost connection has none, and the connection is then discarded.
 */
export function isServerError(error: unknown): boolean {
  return sqlState(error) !== undefined;
}

/** A problem with the rows themselves (SQLSTATE classes 22 data exception, 23 integrity violation). */
export function isDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** A row already stored under the same key (unique_violation). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/** Deadlock or serialization failure: the same transaction succeeds when run again. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40P01' || state === '40001';
}

/** "no partition of relation found for row": a partition vanished under a stale cache. */
export function isMissingPartition(error: unknown): boolean {
  return sqlState(error) === '23514' && /no partition/i.test((error as Error).message);
}

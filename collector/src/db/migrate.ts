import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';

/** collector/migrations, from src/db (tests) and from dist/db (built package) alike. */
export const MIGRATIONS_DIR = resolve(__dirname, '../../migrations');

export interface MigrateOptions {
  direction?: 'up' | 'down';
  /** Apply only this many pending migrations (default: all). */
  count?: number;
  /** Receives progress lines; silent by default. */
  log?: (message: string) => void;
}

const LOCK_RETRIES = 60;
const LOCK_RETRY_MS = 500;

/**
 * Brings the `tokenmeter` schema to the latest migration. Idempotent; concurrent runs (several sink
 * instances starting together) wait for each other instead of failing.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(databaseUrl, options);
    } catch (error) {
      // node-pg-migrate takes an advisory lock and refuses, rather than waits, when it is held.
      if (attempt >= LOCK_RETRIES || !/another migration is already running/i.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
    }
  }
}

async function runOnce(databaseUrl: string, options: MigrateOptions): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: options.direction ?? 'up',
    count: options.count ?? (options.direction === 'down' ? Infinity : undefined),
    migrationsTable: 'schema_migrations',
    migrationsSchema: 'tokenmeter',
    createMigrationsSchema: true,
    checkOrder: true,
    singleTransaction: true,
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return applied.map((migration) => migration.name);
}

import { resolve } from 'node:path';
import { runner } from 'node-pg-migrate';

/** collector/migrations, from src/db (tests) and from dist/db (built package) alike. */
export const MIGRATIONS_DIR = resolve(__dirname, '../../migrations');

export interface MigrateOptions {
  direction?: 'up' | 'down';
  /** Receives progress lines; silent by default. */
  log?: (message: string) => void;
}

/** Brings the `tokenmeter` schema to the latest migration (idempotent; concurrent runs are serialised by a lock). */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  const log = options.log ?? (() => undefined);
  const applied = await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: options.direction ?? 'up',
    count: options.direction === 'down' ? Infinity : undefined,
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

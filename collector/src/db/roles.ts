import type { ClientBase } from 'pg';

/** The group roles the migrations create; login roles are made members of one of them. */
export const READER_GROUP = 'tokenmeter_reader';
export const WRITER_GROUP = 'tokenmeter_writer';

export interface LoginRole {
  name: string;
  password: string;
}

export interface LoginRoles {
  /** Grafana's PostgreSQL datasource and `tokenmeter report`: SELECT only. */
  reader?: LoginRole;
  /** The usage sink: rows only, never DDL. */
  writer?: LoginRole;
}

/** Longest statement a reader may run: Grafana sends whatever SQL a dashboard user writes. */
export const READER_STATEMENT_TIMEOUT = '30s';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates (or updates the password and settings of) the login roles of the reader and the writer,
 * as members of the migrations' group roles. Runs as the ledger's owner, after the migrations.
 * Neither role may be a superuser, create databases or roles, or bypass row security; the reader's
 * sessions are read-only and time out.
 */
export async function ensureLoginRoles(client: ClientBase, roles: LoginRoles): Promise<string[]> {
  const done: string[] = [];
  for (const [role, group] of [
    [roles.reader, READER_GROUP],
    [roles.writer, WRITER_GROUP],
  ] as const) {
    if (!role) continue;
    if (!ROLE_NAME.test(role.name)) {
      throw new Error(`Invalid role name "${role.name}": use lower-case letters, digits and _ (at most 63)`);
    }
    if (role.name === READER_GROUP || role.name === WRITER_GROUP) {
      throw new Error(`"${role.name}" is a group role of the migrations; choose another login role name`);
    }
    if (role.password.length < 12) throw new Error(`The password of role "${role.name}" must have at least 12 characters`);
    const name = client.escapeIdentifier(role.name);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${client.escapeLiteral(role.password)}`;
    const { rowCount } = await client.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role.name]);
    await client.query(rowCount ? `ALTER ROLE ${name} ${attributes}` : `CREATE ROLE ${name} ${attributes}`);
    await client.query(`GRANT ${group} TO ${name}`);
    if (group === READER_GROUP) {
      await client.query(`ALTER ROLE ${name} SET default_transaction_read_only = on`);
      await client.query(`ALTER ROLE ${name} SET statement_timeout = ${client.escapeLiteral(READER_STATEMENT_TIMEOUT)}`);
    }
    done.push(role.name);
  }
  return done;
}

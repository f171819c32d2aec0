// The login roles the migrations command creates (docs/contracts.md, "Roles"): the reader for
// Grafana and the report, the writer for the sink. Each is created only when its name is set.
import { optionalText, readSettings, type Environment } from './setting';

export const ROLE_SETTINGS = {
  readerName: optionalText(
    ['TOKENMETER_PG_READER'],
    'login role created by the migrations for Grafana and the report (SELECT only, read-only sessions, 30 s statements)',
  ),
  readerPassword: optionalText(['TOKENMETER_PG_READER_PASSWORD'], "the reader role's password (12 characters or more)"),
  writerName: optionalText(
    ['TOKENMETER_PG_WRITER'],
    'login role created by the migrations for the usage sink (rows only, no DDL)',
  ),
  writerPassword: optionalText(['TOKENMETER_PG_WRITER_PASSWORD'], "the writer role's password (12 characters or more)"),
};

export interface LoginRoleSetting {
  name: string;
  password: string;
}

/** The login roles to create: those whose name is set; a name without a password is an error. */
export function loginRolesFromEnv(env: Environment = process.env): {
  reader?: LoginRoleSetting;
  writer?: LoginRoleSetting;
} {
  const values = readSettings(ROLE_SETTINGS, env);
  const role = (name: string | undefined, password: string | undefined, variable: string) => {
    if (name === undefined) return undefined;
    if (password === undefined) throw new Error(`${variable} is set but ${variable}_PASSWORD is not`);
    return { name, password };
  };
  const reader = role(values.readerName, values.readerPassword, ROLE_SETTINGS.readerName.variable);
  const writer = role(values.writerName, values.writerPassword, ROLE_SETTINGS.writerName.variable);
  return { ...(reader ? { reader } : {}), ...(writer ? { writer } : {}) };
}

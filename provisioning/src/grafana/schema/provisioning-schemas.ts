// Validates provisioning files against the structure Grafana's file provisioning reads (schemas
// written from its documentation and readers): alerting-provisioning.schema.json for alerting/,
// provisioning-files.schema.json for datasources/, dashboards/ and plugins/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

const readSchema = (file: string): object =>
  JSON.parse(readFileSync(join(__dirname, file), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
ajv.addSchema(readSchema('provisioning-files.schema.json'));
const validate = ajv.compile(readSchema('alerting-provisioning.schema.json'));
const OTHER_FILES =
  'https://tokenmeter.local/schemas/grafana-provisioning-files.json#/definitions/';
const validators = {
  alerting: validate,
  datasources: ajv.compile({ $ref: `${OTHER_FILES}datasourcesFile` }),
  dashboards: ajv.compile({ $ref: `${OTHER_FILES}dashboardProvidersFile` }),
  plugins: ajv.compile({ $ref: `${OTHER_FILES}pluginsFile` }),
};
export type ProvisioningKind = keyof typeof validators;

const describeError = (error: ErrorObject): string => {
  const where = error.instancePath || '/';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` "${String((error.params as { additionalProperty: string }).additionalProperty)}"`
      : error.keyword === 'enum'
        ? ` ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`
        : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
};

/** Schema problems of one parsed provisioning file of `kind` (its folder under provisioning/grafana). */
export function provisioningFileProblems(kind: ProvisioningKind, file: unknown): string[] {
  const check = validators[kind];
  if (check(file)) return [];
  // An if/then/else failure also reports the branch itself; the branch's own errors say why.
  const errors = (check.errors ?? []).filter((error) => error.keyword !== 'if');
  return [...new Set(errors.map(describeError))];
}

/** Schema problems of one parsed alerting file; empty when Grafana would read it whole. */
export const alertingFileProblems = (file: unknown): string[] =>
  provisioningFileProblems('alerting', file);

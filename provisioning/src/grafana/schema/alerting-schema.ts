// Validates alerting provisioning files against alerting-provisioning.schema.json (the structure
// Grafana's file provisioning reads, written from its documentation and reader).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

const schema = JSON.parse(
  readFileSync(join(__dirname, 'alerting-provisioning.schema.json'), 'utf8'),
) as object;
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

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

/** Schema problems of one parsed alerting provisioning file; empty when Grafana would read it whole. */
export function alertingFileProblems(file: unknown): string[] {
  if (validate(file)) return [];
  return [...new Set((validate.errors ?? []).map(describeError))];
}

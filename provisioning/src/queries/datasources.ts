/** The fixed uids of the two provisioned datasources (provisioning/grafana/datasources). */
export const DATASOURCES = {
  prometheus: 'tokenmeter-prometheus',
  postgres: 'tokenmeter-postgres',
} as const;

export type DatasourceUid = (typeof DATASOURCES)[keyof typeof DATASOURCES];

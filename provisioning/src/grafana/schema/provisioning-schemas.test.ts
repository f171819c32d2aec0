// Every alerting provisioning file against the structure Grafana's file provisioning reads. Each
// rule's query running on real PostgreSQL / Prometheus is alert-rules.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { alertingFileProblems, provisioningFileProblems } from './provisioning-schemas';

type Node = Record<string, unknown>;
const alertingDir = join(__dirname, '../../../grafana/alerting');
const files: Record<string, Node> = Object.fromEntries(
  readdirSync(alertingDir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => [file, parse(readFileSync(join(alertingDir, file), 'utf8')) as Node]),
);
const copy = (name: string): Node => JSON.parse(JSON.stringify(files[name])) as Node;
const first = (value: unknown): Node => (value as Node[])[0] as Node;

describe('alerting provisioning files against the structure Grafana reads', () => {
  it('finds rules, contact points, policies and templates', () => {
    expect(Object.keys(files).sort()).toEqual([
      'contact-points.yaml',
      'policies.yaml',
      'rules.yaml',
      'templates.yaml',
    ]);
  });

  it.each(Object.keys(files))('%s conforms', (name) => {
    expect(alertingFileProblems(files[name])).toEqual([]);
  });
});

describe('the alerting schema rejects what Grafana would silently drop or refuse', () => {
  it('a misspelt rule field, a bad duration, an unknown no-data state', () => {
    const rules = copy('rules.yaml');
    const group = first(rules.groups);
    const rule = first(group.rules);
    rule.noDataStat = 'OK';
    rule.for = '5 minutes';
    rule.execErrState = 'Firing';
    expect(alertingFileProblems(rules)).toEqual(
      expect.arrayContaining([
        '/groups/0/rules/0: must NOT have additional properties "noDataStat"',
        '/groups/0/rules/0/for: must match pattern "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$"',
        '/groups/0/rules/0/execErrState: must be equal to one of the allowed values ["Error","Alerting","OK","KeepLast"]',
      ]),
    );
  });

  it('a dashboard link without its panel (Grafana refuses to provision the rule)', () => {
    const rules = copy('rules.yaml');
    delete (first(first(rules.groups).rules).annotations as Node).__panelId__;
    expect(alertingFileProblems(rules)).toEqual([
      '/groups/0/rules/0/annotations: must have property __panelId__ when property __dashboardUid__ is present',
    ]);
  });

  it('a $$ in a query model, which Grafana would send to PostgreSQL as is', () => {
    const rules = copy('rules.yaml');
    const model = first(first(first(rules.groups).rules).data).model as Node;
    model.rawSql = String(model.rawSql).replace('$__timeFilter', '$$$$__timeFilter');
    expect(alertingFileProblems(rules)).toEqual([
      '/groups/0/rules/0/data/0/model/rawSql: must NOT be valid',
    ]);
  });

  it('a reduce expression with an unknown reducer and a query model field Grafana does not have', () => {
    const rules = copy('rules.yaml');
    const rule = first(first(rules.groups).rules);
    const [query, reduce] = rule.data as Node[];
    ((query as Node).model as Node).rawSqll = 'SELECT 1';
    ((reduce as Node).model as Node).reducer = 'latest';
    const problems = alertingFileProblems(rules).join('\n');
    expect(problems).toMatch(
      /\/groups\/0\/rules\/0\/data\/0\/model: must NOT have additional properties "rawSqll"/,
    );
    expect(problems).toMatch(
      /\/groups\/0\/rules\/0\/data\/1\/model\/reducer: must be equal to one of the allowed values/,
    );
  });

  it('a Slack setting Grafana does not know, an e-mail without addresses, a bad matcher', () => {
    const contactPoints = copy('contact-points.yaml');
    const [slack, email] = contactPoints.contactPoints as Node[];
    (first((slack as Node).receivers).settings as Node).channel = '#alerts';
    delete (first((email as Node).receivers).settings as Node).addresses;
    const problems = alertingFileProblems(contactPoints).join('\n');
    expect(problems).toMatch(
      /receivers\/0\/settings: must NOT have additional properties "channel"/,
    );
    expect(problems).toMatch(/receivers\/0\/settings: must have required property 'addresses'/);

    const policies = copy('policies.yaml');
    first(first(policies.policies).routes).object_matchers = [['severity', '==', 'critical']];
    expect(alertingFileProblems(policies).join('\n')).toMatch(
      /routes\/0\/object_matchers\/0\/1: must be equal to one of the allowed values/,
    );
  });
});

describe('datasource, dashboard provider and plugin provisioning files', () => {
  const grafanaDir = join(__dirname, '../../../grafana');
  const read = (path: string): Node => parse(readFileSync(join(grafanaDir, path), 'utf8')) as Node;

  it.each([
    ['datasources', 'datasources/tokenmeter.yaml'],
    ['dashboards', 'dashboards/tokenmeter.yaml'],
    ['plugins', 'plugins/tokenmeter.yaml'],
  ] as const)('%s: %s conforms', (kind, path) => {
    expect(provisioningFileProblems(kind, read(path))).toEqual([]);
  });

  it('rejects a misspelt datasource field and a provider without a path', () => {
    const datasources = read('datasources/tokenmeter.yaml');
    first(datasources.datasources).isDefualt = true;
    expect(provisioningFileProblems('datasources', datasources)).toEqual([
      '/datasources/0: must NOT have additional properties "isDefualt"',
    ]);
    const dashboards = read('dashboards/tokenmeter.yaml');
    delete (first(dashboards.providers).options as Node).path;
    expect(provisioningFileProblems('dashboards', dashboards)).toEqual([
      "/providers/0/options: must have required property 'path'",
    ]);
  });
});

describe('links between the provisioned files', () => {
  it("every rule's dashboard link names a panel of that provisioned dashboard", () => {
    const jsonDir = join(__dirname, '../../../grafana/dashboards/json');
    const panelIds = new Map<string, Set<number>>();
    for (const file of readdirSync(jsonDir)) {
      const dashboard = JSON.parse(readFileSync(join(jsonDir, file), 'utf8')) as Node;
      const panels = (dashboard.panels as Node[]).flatMap((p) => [
        p,
        ...((p.panels as Node[]) ?? []),
      ]);
      panelIds.set(String(dashboard.uid), new Set(panels.map((p) => Number(p.id))));
    }
    for (const rule of first(files['rules.yaml']?.groups).rules as Node[]) {
      const annotations = rule.annotations as Record<string, string>;
      const uid = annotations.__dashboardUid__ as string;
      expect({
        rule: rule.uid,
        uid,
        panel: panelIds.get(uid)?.has(Number(annotations.__panelId__)),
      }).toEqual({
        rule: rule.uid,
        uid,
        panel: true,
      });
    }
  });
});

// The generated dashboards checked against Grafana's own schema (@grafana/schema, the version the
// app plugin builds against) and Grafana's unit list (@grafana/data); datasource uids and catalog
// queries are checked by lint-provisioning.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  brokenDashboardLinks,
  grafanaDashboardSchemaVersion,
  grafanaUnitIds,
  undefinedVariables,
  unknownUnits,
} from './dashboard-references';
import { checkDashboardsAgainstSchema } from './dashboard-schema';

type Node = Record<string, unknown>;
const jsonDir = join(__dirname, '../../../grafana/dashboards/json');
const dashboards: Record<string, Node> = Object.fromEntries(
  readdirSync(jsonDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => [file, JSON.parse(readFileSync(join(jsonDir, file), 'utf8')) as Node]),
);
const panelsOf = (dashboard: Node): Node[] => dashboard.panels as Node[];
const copy = (dashboard: Node): Node => JSON.parse(JSON.stringify(dashboard)) as Node;
const firstOfType = (dashboard: Node, type: string): Node => {
  const panel = panelsOf(dashboard).find((p) => p.type === type);
  if (!panel) throw new Error(`no ${type} panel`);
  return panel;
};

describe('provisioned dashboards against Grafana 13 schemas', () => {
  it('finds the three dashboards', () => {
    expect(Object.keys(dashboards).sort()).toEqual([
      'llm-overview.json',
      'llm-users-prompts.json',
      'service-health-endpoints.json',
    ]);
  });

  it("are at Grafana's current schemaVersion (no migration runs when Grafana loads them)", () => {
    const current = grafanaDashboardSchemaVersion();
    expect(current).toBeGreaterThanOrEqual(42);
    for (const [file, dashboard] of Object.entries(dashboards))
      expect({ file, schemaVersion: dashboard.schemaVersion }).toEqual({
        file,
        schemaVersion: current,
      });
  });

  it('type-check against @grafana/schema: no unknown field, panel type or value', () => {
    expect(checkDashboardsAgainstSchema(dashboards)).toEqual([]);
  });

  it("use only units of Grafana's unit list", () => {
    const known = grafanaUnitIds();
    expect(known.size).toBeGreaterThan(100);
    for (const [file, dashboard] of Object.entries(dashboards))
      expect(unknownUnits(file, dashboard, known)).toEqual([]);
  });

  it('link only to provisioned dashboards and their variables', () => {
    expect(brokenDashboardLinks(dashboards)).toEqual([]);
  });

  it('refer only to variables they define', () => {
    for (const [file, dashboard] of Object.entries(dashboards))
      expect(undefinedVariables(file, dashboard)).toEqual([]);
  });
});

describe('the dashboard checks catch what Grafana would not load as meant', () => {
  const overview = dashboards['llm-overview.json'] as Node;

  it('reports unknown fields, unknown panel types, wrong option values and bad overrides', () => {
    const broken = copy(overview);
    broken.refreshh = '1m';
    const stat = firstOfType(broken, 'stat');
    (stat.options as Node).colourMode = 'background';
    const pie = firstOfType(broken, 'piechart');
    (pie.options as Node).pieType = 'doughnut';
    const table = firstOfType(broken, 'table');
    (table.fieldConfig as Node).overrides = [
      {
        matcher: { id: 'byName', options: 'x' },
        properties: [{ id: 'custom.hidden', value: true }],
      },
    ];
    ((stat.targets as Node[])[0] as Node).legendFormatt = '{{job}}';
    const timeseries = firstOfType(broken, 'timeseries');
    timeseries.type = 'graph';
    const problems = checkDashboardsAgainstSchema({ 'broken.json': broken }).join('\n');
    expect(problems).toMatch(/broken\.json: .*'"refreshh"' does not exist/);
    expect(problems).toMatch(/panel ".*" \(stat\): .*'"colourMode"' does not exist/);
    expect(problems).toMatch(/panel ".*" \(piechart\): .*"doughnut"/);
    expect(problems).toMatch(/\(table\) override 0: .*'"hidden"' does not exist/);
    expect(problems).toMatch(/panel type "graph" is not one Grafana ships/);
    expect(problems).toMatch(/\(stat\) query A \(prometheus\): .*'"legendFormatt"' does not exist/);
  });

  it('reports units Grafana does not know and variables the dashboard does not define', () => {
    const broken = copy(overview);
    const stat = firstOfType(broken, 'stat');
    ((stat.fieldConfig as Node).defaults as Node).unit = 'usd';
    const target = (stat.targets as Node[])[0] as Node;
    target.expr = 'sum(tokenmeter_llm_requests_total{job=~"$servise"})';
    expect(unknownUnits('broken.json', broken, grafanaUnitIds())).toEqual([
      `broken.json panel "${String(stat.title)}": unit "usd" is not a Grafana unit`,
    ]);
    // Grafana's custom date format (`time:` and a format) is a unit; `time:` alone is not.
    ((stat.fieldConfig as Node).defaults as Node).unit = 'time:MM-DD HH:mm';
    expect(unknownUnits('broken.json', broken, grafanaUnitIds())).toEqual([]);
    ((stat.fieldConfig as Node).defaults as Node).unit = 'time:';
    expect(unknownUnits('broken.json', broken, grafanaUnitIds())).toHaveLength(1);
    ((stat.fieldConfig as Node).defaults as Node).unit = 'usd';
    const link = JSON.stringify(panelsOf(broken)).match(/\/d\/tokenmeter-users-prompts\?var-user=/);
    expect(link).not.toBeNull();
    const withBadLink = JSON.parse(
      JSON.stringify(broken).replace(
        '/d/tokenmeter-users-prompts?var-user=',
        '/d/tokenmeter-users?var-usr=',
      ),
    ) as Node;
    expect(brokenDashboardLinks({ ...dashboards, 'broken.json': withBadLink })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/link to \/d\/tokenmeter-users: no provisioned dashboard/),
      ]),
    );
    const withBadVariable = JSON.parse(
      JSON.stringify(broken).replace('?var-user=', '?var-usr='),
    ) as Node;
    expect(brokenDashboardLinks({ ...dashboards, 'llm-overview.json': withBadVariable })).toEqual(
      expect.arrayContaining([expect.stringMatching(/has no variable "usr"/)]),
    );
    expect(undefinedVariables('broken.json', broken)).toEqual([
      `broken.json panel "${String(stat.title)}": variable "servise" is not defined`,
    ]);
  });
});

// What a dashboard refers to by name and Grafana must know: units (Grafana's value formats, from
// @grafana/data itself) and dashboard variables (defined in the dashboard's templating list).
import { execFileSync } from 'node:child_process';

type Node = Record<string, unknown>;
const asArray = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);

// Run in a plain Node process: @grafana/data's CommonJS build loads there, while jest's resolver
// picks ESM-only dependencies of it. Building the date formats reads the browser's locale, and
// Node 20 has no `navigator`.
const LIST_UNITS = `
globalThis.navigator ??= { language: 'en-US', languages: ['en-US'] };
const { getValueFormats } = require('@grafana/data');
const ids = getValueFormats().flatMap((category) => (category.submenu ?? []).map((unit) => unit.value));
process.stdout.write(JSON.stringify(ids));
`;

/** Every unit id Grafana's unit picker offers (valueFormats of the installed @grafana/data). */
export function grafanaUnitIds(): Set<string> {
  const output = execFileSync(process.execPath, ['-e', LIST_UNITS], {
    cwd: __dirname,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Set(JSON.parse(output) as string[]);
}

/** The dashboard schemaVersion of the installed @grafana/schema (what Grafana saves today). */
export function grafanaDashboardSchemaVersion(): number {
  const output = execFileSync(
    process.execPath,
    [
      '-e',
      "process.stdout.write(String(require('@grafana/schema').defaultDashboard.schemaVersion))",
    ],
    { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Number(output);
}

const allPanels = (dashboard: Node): Node[] =>
  asArray(dashboard.panels).flatMap((panel) => [panel, ...asArray(panel.panels)]);

/** Grafana's custom date format unit, `time:<moment format>` (getValueFormat's `time:` prefix). */
const CUSTOM_DATE_UNIT = /^time:[YMDHhmsaAZ:/ .,-]+$/;

/** Units used by the panels' field config and overrides that Grafana does not know. */
export function unknownUnits(file: string, dashboard: Node, known: Set<string>): string[] {
  const problems: string[] = [];
  for (const panel of allPanels(dashboard)) {
    const fieldConfig = panel.fieldConfig as Node | undefined;
    const units = [(fieldConfig?.defaults as Node | undefined)?.unit];
    for (const override of asArray(fieldConfig?.overrides))
      for (const property of asArray(override.properties))
        if (property.id === 'unit') units.push(property.value);
    for (const unit of units)
      if (unit !== undefined && !known.has(String(unit)) && !CUSTOM_DATE_UNIT.test(String(unit)))
        problems.push(
          `${file} panel "${String(panel.title)}": unit "${String(unit)}" is not a Grafana unit`,
        );
  }
  return problems;
}

// $name, ${name}, ${name:format}, [[name]]; names starting with __ are Grafana's own ($__timeFilter,
// ${__field.name}, $__rate_interval...).
const VARIABLE_REFERENCE = /\$\{([A-Za-z_]\w*)|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)/g;

/** Variables referred to anywhere in the dashboard (queries, titles, links) but not defined. */
export function undefinedVariables(file: string, dashboard: Node): string[] {
  const templating = asArray((dashboard.templating as Node | undefined)?.list);
  const defined = new Set(templating.map((variable) => String(variable.name)));
  const problems: string[] = [];
  const scan = (where: string, value: unknown): void => {
    for (const match of JSON.stringify(value).matchAll(VARIABLE_REFERENCE)) {
      const name = (match[1] ?? match[2] ?? match[3]) as string;
      if (!name.startsWith('__') && !defined.has(name))
        problems.push(`${where}: variable "${name}" is not defined`);
    }
  };
  for (const panel of allPanels(dashboard)) scan(`${file} panel "${String(panel.title)}"`, panel);
  scan(`${file} variables`, templating);
  scan(`${file} links`, dashboard.links);
  return [...new Set(problems)];
}

/** Links to provisioned dashboards (`/d/<uid>?var-<name>=…`) whose dashboard or variable does not exist. */
export function brokenDashboardLinks(dashboards: Record<string, Node>): string[] {
  const variablesByUid = new Map(
    Object.values(dashboards).map((d) => [
      String(d.uid),
      new Set(asArray((d.templating as Node | undefined)?.list).map((v) => String(v.name))),
    ]),
  );
  const problems: string[] = [];
  for (const [file, dashboard] of Object.entries(dashboards)) {
    for (const panel of allPanels(dashboard)) {
      const text = JSON.stringify(panel);
      for (const match of text.matchAll(/\/d\/([\w-]+)(\?[^"]*)?/g)) {
        const [, uid, query = ''] = match;
        const where = `${file} panel "${String(panel.title)}": link to /d/${uid as string}`;
        const variables = variablesByUid.get(uid as string);
        if (!variables) {
          problems.push(`${where}: no provisioned dashboard has that uid`);
          continue;
        }
        for (const param of query.matchAll(/[?&]var-([\w]+)=/g))
          if (!variables.has(param[1] as string))
            problems.push(`${where}: the dashboard has no variable "${param[1] as string}"`);
      }
    }
  }
  return problems;
}

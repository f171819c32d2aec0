// Checks dashboard JSON against the types of @grafana/schema (the version the app plugin builds
// against; no JSON schema ships with it). Each dashboard becomes a TypeScript source that assigns
// the dashboard, each panel and each field override to Grafana's own types, and the TypeScript
// compiler type-checks it: an unknown field is an excess property, a wrong value a type error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { TARGET_TYPES } from './datasource-queries';
import { PANEL_TYPES } from './panel-types';

type Node = Record<string, unknown>;
const asArray = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);

const provisioningDir = resolve(__dirname, '../../..');

// Grafana's types use enums; JSON holds their values. `Loose` turns every enum into the union of
// its values and, for panel options and custom field config, makes every field optional (Grafana
// fills in the plugin's defaults) while unknown fields stay errors.
const PRELUDE = `
import type * as g from '@grafana/schema';
${Object.entries(PANEL_TYPES)
  .filter(([, spec]) => spec.module)
  .map(([, spec]) => `import type * as ${spec.alias} from '${spec.module}';`)
  .join('\n')}
import type { AlertListOptions } from '${join(__dirname, 'alertlist-options')}';
import type { PrometheusTarget, PostgresTarget } from '${join(__dirname, 'datasource-queries')}';

type Json<T> = T extends string ? \`\${T}\` : T extends ReadonlyArray<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type Loose<T> = T extends string ? \`\${T}\` : T extends ReadonlyArray<infer U> ? Array<Loose<U>> : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;
type FieldConfigOf<C> = Json<Omit<g.FieldConfig, 'custom'>> & { custom?: Loose<C> };
type PanelOf<T extends string, O, C> = Json<Omit<g.Panel, 'type' | 'options' | 'fieldConfig' | 'targets'>> & {
  type: T;
  options?: Loose<O>;
  fieldConfig?: { defaults: FieldConfigOf<C>; overrides: Array<{ matcher: Json<g.MatcherConfig>; properties: Array<{ id: string; value?: unknown }> }> };
  targets?: Array<Json<g.DataQuery> & Record<string, unknown>>;
};
type RowOf = Json<Omit<g.RowPanel, 'panels'>> & { panels: unknown[] };
type NoCustom = Record<string, never>;
type DashboardOf = Json<Omit<g.Dashboard, 'panels' | 'templating'>> & { panels: unknown[]; templating: { list: Array<Json<g.VariableModel>> } };
`;

function panelTypeExpr(type: string): string | undefined {
  if (type === 'row') return 'RowOf';
  const spec = PANEL_TYPES[type];
  if (!spec) return undefined;
  return `PanelOf<'${type}', ${spec.options}, ${spec.fieldConfig ?? 'NoCustom'}>`;
}

/** Field override properties re-stated as the field config they set (`custom.width` → custom.width). */
function overrideAsFieldConfig(properties: Node[]): Node {
  const config: Node = {};
  for (const property of properties) {
    const path = String(property.id).split('.');
    let target = config;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Node;
    target[path[path.length - 1] as string] = property.value;
  }
  return config;
}

interface Source {
  text: string;
  /** 0-based line → what the check on that line is about */
  about: Map<number, string>;
}

function dashboardSource(file: string, dashboard: Node): Source {
  const lines = [PRELUDE];
  const about = new Map<number, string>();
  const add = (what: string, declaration: string): void => {
    const start = lines.join('\n').split('\n').length;
    lines.push(declaration);
    const end = lines.join('\n').split('\n').length;
    for (let line = start; line < end; line++) about.set(line, what);
  };
  const { panels, ...rest } = dashboard;
  add(
    `${file}`,
    `const dashboard: DashboardOf = ${JSON.stringify({ ...rest, panels: [] }, null, 1)};`,
  );
  const all = asArray(panels).flatMap((panel) => [panel, ...asArray(panel.panels)]);
  all.forEach((panel, index) => {
    const what = `${file} panel "${String(panel.title)}" (${String(panel.type)})`;
    const typeExpr = panelTypeExpr(String(panel.type));
    const fieldConfig = panel.fieldConfig as Node | undefined;
    const value = panel.type === 'row' ? { ...panel, panels: [] } : panel;
    add(what, `const panel${index}: ${typeExpr ?? 'never'} = ${JSON.stringify(value, null, 1)};`);
    asArray(panel.targets).forEach((target, t) => {
      const datasourceType = String((target.datasource as Node | undefined)?.type);
      add(
        `${what} query ${String(target.refId)} (${datasourceType})`,
        `const panel${index}target${t}: ${TARGET_TYPES[datasourceType] ?? 'never'} = ${JSON.stringify(target, null, 1)};`,
      );
    });
    const spec = PANEL_TYPES[String(panel.type)];
    asArray(fieldConfig?.overrides).forEach((override, o) => {
      const config = overrideAsFieldConfig(asArray(override.properties));
      add(
        `${what} override ${o}`,
        `const panel${index}override${o}: FieldConfigOf<${spec?.fieldConfig ?? 'NoCustom'}> = ${JSON.stringify(config, null, 1)};`,
      );
    });
  });
  add(file, 'export { dashboard };');
  return { text: lines.join('\n'), about };
}

/** Problems found by type-checking each dashboard against @grafana/schema; empty when all conform. */
export function checkDashboardsAgainstSchema(dashboards: Record<string, Node>): string[] {
  const problems: string[] = [];
  for (const [file, dashboard] of Object.entries(dashboards)) {
    for (const panel of asArray(dashboard.panels).flatMap((p) => [p, ...asArray(p.panels)])) {
      if (!panelTypeExpr(String(panel.type)))
        problems.push(
          `${file} panel "${String(panel.title)}": panel type "${String(panel.type)}" is not one Grafana ships`,
        );
    }
  }
  // The sources live in a temporary folder inside provisioning/ so that node_modules resolves.
  const dir = mkdtempSync(join(provisioningDir, '.schema-check-'));
  try {
    const sources = new Map<string, Source>();
    for (const [file, dashboard] of Object.entries(dashboards)) {
      const path = join(dir, `${file.replace(/\W/g, '_')}.ts`);
      const source = dashboardSource(file, dashboard);
      writeFileSync(path, source.text);
      sources.set(path, source);
    }
    const program = ts.createProgram([...sources.keys()], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
      const source = diagnostic.file && sources.get(resolve(diagnostic.file.fileName));
      if (!diagnostic.file || !source) {
        problems.push(`type-check setup: ${message}`);
        continue;
      }
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = diagnostic.file.text.split('\n')[line]?.trim() ?? '';
      problems.push(`${source.about.get(line) ?? 'prelude'}: ${message} (at ${text})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return problems;
}

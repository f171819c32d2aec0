// Static checks of provisioning/grafana as Grafana would load it (no Grafana server runs in tests).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { queries } from '../queries';
import { parseGrafanaInterval } from '../render/go-time';

type Node = Record<string, unknown>;
const asArray = (value: unknown): Node[] => (Array.isArray(value) ? (value as Node[]) : []);
const readYaml = (path: string): Node => parse(readFileSync(path, 'utf8')) as Node;

const catalogTexts = new Set(Object.values(queries).map((query) => query.expr));

function checkDuration(problems: string[], where: string, value: unknown): void {
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    parseGrafanaInterval(value);
  } catch {
    problems.push(`${where}: duration "${String(value)}" does not parse`);
  }
}

function datasourceUids(dir: string): Set<string> {
  const uids = new Set<string>();
  for (const file of readdirSync(join(dir, 'datasources'))) {
    for (const ds of asArray(readYaml(join(dir, 'datasources', file)).datasources))
      uids.add(String(ds.uid));
  }
  return uids;
}

function lintDashboards(dir: string, uids: Set<string>, problems: string[]): void {
  const jsonDir = join(dir, 'dashboards', 'json');
  const seenUids = new Set<string>();
  for (const file of readdirSync(jsonDir)) {
    const dashboard = JSON.parse(readFileSync(join(jsonDir, file), 'utf8')) as Node;
    const where = `dashboards/json/${file}`;
    if (typeof dashboard.uid !== 'string' || dashboard.uid === '')
      problems.push(`${where}: no uid`);
    if (seenUids.has(String(dashboard.uid)))
      problems.push(`${where}: uid ${String(dashboard.uid)} used twice`);
    seenUids.add(String(dashboard.uid));
    if ('id' in dashboard && dashboard.id !== null)
      problems.push(`${where}: has an id (provisioned dashboards must not)`);
    const refs: Node[] = [];
    for (const variable of asArray((dashboard.templating as Node | undefined)?.list)) {
      if (variable.datasource) refs.push(variable.datasource as Node);
    }
    const panelIds = new Set<number>();
    for (const panel of asArray(dashboard.panels)) {
      const title = `${where} panel "${String(panel.title)}"`;
      if (panelIds.has(Number(panel.id)))
        problems.push(`${title}: duplicate panel id ${String(panel.id)}`);
      panelIds.add(Number(panel.id));
      const ds = panel.datasource as Node | undefined;
      if (ds && ds.uid !== '-- Mixed --') refs.push(ds);
      for (const target of asArray(panel.targets)) {
        refs.push(target.datasource as Node);
        const text = (target.rawSql ?? target.expr) as string | undefined;
        if (!text || !catalogTexts.has(text))
          problems.push(`${title}: query ${String(target.refId)} is not a catalog query`);
      }
    }
    for (const ref of refs) {
      if (!ref || !uids.has(String(ref.uid)))
        problems.push(`${where}: datasource uid "${String(ref?.uid)}" is not provisioned`);
    }
  }
}

function lintRules(dir: string, uids: Set<string>, problems: string[]): void {
  const file = readYaml(join(dir, 'alerting', 'rules.yaml'));
  for (const group of asArray(file.groups)) {
    checkDuration(problems, `rule group ${String(group.name)} interval`, group.interval);
    for (const rule of asArray(group.rules)) {
      const where = `rule ${String(rule.uid)}`;
      checkDuration(problems, `${where} for`, rule.for);
      const data = asArray(rule.data);
      const refIds = new Set(data.map((d) => String(d.refId)));
      if (!refIds.has(String(rule.condition)))
        problems.push(`${where}: condition ${String(rule.condition)} names no query`);
      for (const item of data) {
        const model = item.model as Node;
        if (item.datasourceUid === '__expr__') {
          if (!refIds.has(String(model.expression))) {
            problems.push(
              `${where}: expression ${String(item.refId)} reads missing ${String(model.expression)}`,
            );
          }
          continue;
        }
        if (!uids.has(String(item.datasourceUid)))
          problems.push(`${where}: datasource ${String(item.datasourceUid)} is not provisioned`);
        const range = item.relativeTimeRange as Node | undefined;
        if (!range || !(Number(range.from) > Number(range.to)))
          problems.push(`${where}: ${String(item.refId)} has no valid relativeTimeRange`);
        // Grafana hands the model to the datasource as written (no $VAR expansion, `$$` stays).
        const text = (model.rawSql ?? model.expr) as string | undefined;
        if (text?.includes('$$'))
          problems.push(`${where}: $$ in a query model reaches the datasource as is`);
        if (!text || !catalogTexts.has(text))
          problems.push(`${where}: ${String(item.refId)} is not a catalog query`);
      }
    }
  }
}

function routeReceivers(route: Node, into: string[]): string[] {
  if (route.receiver) into.push(String(route.receiver));
  for (const child of asArray(route.routes)) routeReceivers(child, into);
  for (const key of ['group_wait', 'group_interval', 'repeat_interval']) {
    if (route[key] !== undefined) into.push(`duration:${String(route[key])}`);
  }
  return into;
}

function lintNotifications(dir: string, problems: string[]): void {
  const contactPoints = asArray(
    readYaml(join(dir, 'alerting', 'contact-points.yaml')).contactPoints,
  );
  const names = new Set(contactPoints.map((cp) => String(cp.name)));
  const reached = new Set<string>();
  for (const policy of asArray(readYaml(join(dir, 'alerting', 'policies.yaml')).policies)) {
    for (const entry of routeReceivers(policy, [])) {
      if (entry.startsWith('duration:'))
        checkDuration(problems, 'notification policy', entry.slice('duration:'.length));
      else reached.add(entry);
    }
  }
  for (const name of reached)
    if (!names.has(name)) problems.push(`policy routes to unknown contact point ${name}`);
  for (const name of names)
    if (!reached.has(name)) problems.push(`contact point ${name} is reached by no policy`);

  const templates = asArray(readYaml(join(dir, 'alerting', 'templates.yaml')).templates)
    .map((t) => String(t.template))
    .join('\n');
  const defined = new Set([...templates.matchAll(/{{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]));
  for (const cp of contactPoints) {
    for (const receiver of asArray(cp.receivers)) {
      const used = JSON.stringify(receiver.settings ?? {}).matchAll(/template \\"([^\\]+)\\"/g);
      for (const match of used)
        if (!defined.has(match[1]))
          problems.push(`${String(cp.name)} uses undefined template ${match[1]}`);
    }
  }
}

/** Every problem found in a provisioning/grafana directory; empty when Grafana would load it as meant. */
export function lintProvisioning(grafanaDir: string): string[] {
  const problems: string[] = [];
  const uids = datasourceUids(grafanaDir);
  lintDashboards(grafanaDir, uids, problems);
  lintRules(grafanaDir, uids, problems);
  lintNotifications(grafanaDir, problems);
  return problems;
}

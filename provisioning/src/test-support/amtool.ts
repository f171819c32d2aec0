// Renders Grafana notification and annotation templates with a real Go template engine: Debian's
// Alertmanager `amtool template render` (TOKENMETER_AMTOOL, installed by scripts/ensure/
// alertmanager.sh). Grafana's notification data is Alertmanager's plus a few fields of its own;
// those are supplied here built the way Grafana builds them from the root URL and the rule's
// __dashboardUid__ / __panelId__ (see GRAFANA_ALERT_FIELDS); Grafana may add query parameters
// (such as a time range) that these leave out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function amtoolBinary(): string {
  const path = process.env.TOKENMETER_AMTOOL;
  if (!path)
    throw new Error(
      'TOKENMETER_AMTOOL is not set: run the tests through `npm test` (scripts/test.sh installs it)',
    );
  if (!existsSync(path)) throw new Error(`${path} not found (TOKENMETER_AMTOOL)`);
  return path;
}

/** One alert as Grafana hands it to a contact point. */
export interface GrafanaAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  /** Annotations after Grafana expanded the rule's annotation templates. */
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  ruleUid: string;
}

export interface NotificationGroup {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: GrafanaAlert[];
  groupLabels: Record<string, string>;
  /** Grafana's root_url with a trailing slash, e.g. http://localhost:3000/ */
  externalURL: string;
}

// Fields Grafana adds to each alert (its ExtendedAlert) that Alertmanager's template.Alert lacks.
// amtool cannot evaluate them, so a template's `.DashboardURL` is rewritten to read the same value
// from a hidden annotation that carries what Grafana would put there.
const GRAFANA_ALERT_FIELDS = ['DashboardURL', 'PanelURL', 'SilenceURL'] as const;
const hiddenAnnotation = (field: string): string => `__tokenmeter_test_${field}__`;
const GRAFANA_FIELD_ACCESS = new RegExp(
  `(?<![\\w)\\]])\\.(${GRAFANA_ALERT_FIELDS.join('|')})\\b`,
  'g',
);

/** The template text with Grafana-only alert fields read from their hidden annotations. */
export function withGrafanaFieldsAsAnnotations(template: string): string {
  return template.replace(
    GRAFANA_FIELD_ACCESS,
    (_, field: string) => `(index .Annotations "${hiddenAnnotation(field)}")`,
  );
}

const common = (maps: Record<string, string>[]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(maps[0] ?? {}).filter(([key, value]) => maps.every((m) => m[key] === value)),
  );

/** Grafana's links for an alert: dashboard from __dashboardUid__, silence prefilled with the labels. */
function grafanaFields(alert: GrafanaAlert, externalURL: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const dashboardUid = alert.annotations.__dashboardUid__;
  if (dashboardUid) fields.DashboardURL = `${externalURL}d/${dashboardUid}?orgId=1`;
  const panelId = alert.annotations.__panelId__;
  if (dashboardUid && panelId)
    fields.PanelURL = `${externalURL}d/${dashboardUid}?orgId=1&viewPanel=${panelId}`;
  const matchers = Object.entries(alert.labels)
    .map(([key, value]) => `matcher=${encodeURIComponent(`${key}=${value}`)}`)
    .join('&');
  fields.SilenceURL = `${externalURL}alerting/silence/new?alertmanager=grafana&${matchers}`;
  return fields;
}

/** Alertmanager's template data (what amtool reads) for a Grafana notification group. */
export function templateData(group: NotificationGroup): object {
  const alerts = group.alerts.map((alert) => {
    const extra = grafanaFields(alert, group.externalURL);
    return {
      status: alert.status,
      labels: alert.labels,
      annotations: {
        ...alert.annotations,
        ...Object.fromEntries(
          Object.entries(extra).map(([field, value]) => [hiddenAnnotation(field), value]),
        ),
      },
      startsAt: alert.startsAt,
      endsAt: alert.endsAt ?? '0001-01-01T00:00:00Z',
      generatorURL: `${group.externalURL}alerting/grafana/${alert.ruleUid}/view?orgId=1`,
      fingerprint: alert.ruleUid,
    };
  });
  return {
    receiver: group.receiver,
    status: group.status,
    alerts,
    groupLabels: group.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(group.alerts.map((a) => a.annotations)),
    externalURL: group.externalURL,
  };
}

/**
 * Renders `text` (a contact point setting such as `{{ template "tokenmeter.title" . }}`) with the
 * provisioned `definitions` (the templates file's `template` texts) over `data`, with amtool.
 */
export function renderTemplate(definitions: string, text: string, data: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokenmeter-amtool-'));
  try {
    writeFileSync(join(dir, 'definitions.tmpl'), withGrafanaFieldsAsAnnotations(definitions));
    writeFileSync(join(dir, 'data.json'), JSON.stringify(data));
    return execFileSync(
      amtoolBinary(),
      [
        'template',
        'render',
        `--template.glob=${join(dir, '*.tmpl')}`,
        `--template.text=${withGrafanaFieldsAsAnnotations(text)}`,
        `--template.data=${join(dir, 'data.json')}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    throw new Error(`amtool template render failed: ${stderr.trim() || (error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Grafana renders a rule's annotations with the evaluation's values: `(index .Values "B").Value`
// is the value of expression B. amtool has no `.Values`; the scenario's number stands in for it.
const VALUE_LOOKUP = /\(index \.Values "([A-Za-z]\w*)"\)\.Value/g;

/** A rule annotation as Grafana would expand it, for the given expression values. */
export function renderAnnotation(annotation: string, values: Record<string, number>): string {
  const text = annotation.replace(VALUE_LOOKUP, (_, refId: string) => {
    const value = values[refId];
    if (value === undefined) throw new Error(`no value for expression ${refId} in "${annotation}"`);
    // Grafana's values are float64: a Go float literal keeps printf "%.2f" meaning the same.
    return Number.isInteger(value) ? value.toFixed(1) : String(value);
  });
  return renderTemplate('', text, {
    receiver: '',
    status: 'firing',
    alerts: [],
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: '',
  });
}

// The alerts Grafana would list as firing over the browser test's data: every provisioned alert rule
// (provisioning/grafana/alerting/rules.yaml) evaluated on the same PostgreSQL and Prometheus the
// panels read, written as Grafana's Alertmanager API answers (GET /api/alertmanager/grafana/api/v2/alerts).
import {
  evaluateRule,
  provisionedRules,
  type Backends,
  type ProvisionedRule,
} from '@tokenmeter/provisioning/test-support/alert-evaluator';

export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: 'active' };
  startsAt: string;
}

interface RuleTexts {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** The one template the rules' summaries use: the reduced value B, printed with `%.Nf`. */
const VALUE_TEMPLATE = /\{\{ printf "%\.(\d)f" \(index \.Values "B"\)\.Value \}\}/g;

export function renderSummary(template: string, value: number): string {
  const text = template.replace(VALUE_TEMPLATE, (_match, digits: string) => value.toFixed(Number(digits)));
  if (text.includes('{{')) {
    throw new Error(`Unsupported template in alert summary: ${template}`);
  }
  return text;
}

/**
 * The firing alerts at `now`. A rule with no data fires as Grafana's DatasourceNoData alert when its
 * noDataState is NoData, as itself when Alerting, and not at all when OK.
 */
export async function firingAlerts(backends: Backends, now: Date): Promise<GettableAlert[]> {
  const alerts: GettableAlert[] = [];
  for (const rule of provisionedRules()) {
    const texts = rule as ProvisionedRule & RuleTexts;
    const alert = (labels: Record<string, string>, summary: string): GettableAlert => ({
      labels: { ...texts.labels, ...labels },
      annotations: { ...texts.annotations, summary },
      status: { state: 'active' },
      startsAt: now.toISOString(),
    });
    const instances = await evaluateRule({ ...rule, noDataState: 'OK' }, backends, now);
    if (instances.length === 0 && rule.noDataState === 'NoData') {
      alerts.push(alert({ alertname: 'DatasourceNoData', rulename: rule.title }, `${rule.title}: no data`));
    } else if (instances.length === 0 && rule.noDataState === 'Alerting') {
      alerts.push(alert({ alertname: rule.title }, `${rule.title}: no data`));
    }
    for (const instance of instances.filter((candidate) => candidate.firing)) {
      alerts.push(
        alert(
          { ...instance.labels, alertname: rule.title },
          renderSummary(texts.annotations?.summary ?? '', instance.value)
        )
      );
    }
  }
  return alerts;
}

// The Slack and e-mail messages a person receives, rendered by a real Go template engine (amtool,
// Alertmanager's) from the provisioned files: each rule's annotations (rules.yaml), the message
// templates (templates.yaml) and the contact points' title/text settings (contact-points.yaml).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  renderAnnotation,
  renderTemplate,
  templateData,
  type GrafanaAlert,
  type NotificationGroup,
} from '../../test-support/amtool';

type Node = Record<string, unknown>;
const alertingDir = join(__dirname, '../../../grafana/alerting');
const read = (file: string): Node => parse(readFileSync(join(alertingDir, file), 'utf8')) as Node;

const definitions = (read('templates.yaml').templates as Node[])
  .map((template) => String(template.template))
  .join('\n');
const settingsOf = (receiverType: string): Record<string, string> => {
  for (const contactPoint of read('contact-points.yaml').contactPoints as Node[])
    for (const receiver of contactPoint.receivers as Node[])
      if (receiver.type === receiverType) return receiver.settings as Record<string, string>;
  throw new Error(`no ${receiverType} contact point`);
};
const rules = ((read('rules.yaml').groups as Node[])[0]?.rules ?? []) as Node[];
const EXTERNAL_URL = 'http://localhost:3000/';

/** An alert of the provisioned rule `uid` as Grafana sends it, annotations expanded for `value`. */
function alertOf(
  uid: string,
  status: 'firing' | 'resolved',
  value: number,
  queryLabels: Record<string, string> = {},
): GrafanaAlert {
  const rule = rules.find((r) => r.uid === uid);
  if (!rule) throw new Error(`no rule ${uid}`);
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations as Record<string, string>).map(([key, text]) => [
      key,
      renderAnnotation(text, { B: value }),
    ]),
  );
  return {
    status,
    labels: {
      alertname: String(rule.title),
      grafana_folder: 'Tokenmeter',
      ...(rule.labels as Record<string, string>),
      ...queryLabels,
    },
    annotations,
    startsAt: '2026-12-05T08:00:00Z',
    endsAt: status === 'resolved' ? '2026-12-05T08:20:00Z' : undefined,
    ruleUid: uid,
  };
}

function group(receiver: string, alerts: GrafanaAlert[]): NotificationGroup {
  const first = alerts[0] as GrafanaAlert;
  return {
    receiver,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts,
    groupLabels: { alertname: first.labels.alertname as string, grafana_folder: 'Tokenmeter' },
    externalURL: EXTERNAL_URL,
  };
}

describe('rule annotations expand to the figure and threshold', () => {
  it('prints amounts with two decimals and counts and statuses as whole numbers, each with its unit', () => {
    expect(alertOf('tokenmeter-high-cost', 'firing', 152.3).annotations).toMatchObject({
      summary:
        'High LLM cost: cost of model calls over the last 24h is 152.30 USD (threshold above 100 USD)',
      figure: '152.30 USD',
      threshold: '> 100 USD',
    });
    expect(alertOf('tokenmeter-free-quota-exceeded', 'firing', 7).annotations.figure).toBe(
      '7 executions',
    );
    expect(alertOf('tokenmeter-unpriced-tokens', 'firing', 1520).annotations.figure).toBe(
      '1520 tokens',
    );
    expect(alertOf('tokenmeter-health-check-failing', 'firing', 0).annotations.summary).toBe(
      'Health check failing: health status (1 up, 0 down) is 0 (threshold below 1)',
    );
  });

  it('every rule has a summary, figure, threshold and dashboard that render', () => {
    for (const rule of rules) {
      const alert = alertOf(String(rule.uid), 'firing', 1234.5);
      expect(Object.keys(alert.annotations).sort()).toEqual([
        '__dashboardUid__',
        '__panelId__',
        'description',
        'figure',
        'summary',
        'threshold',
      ]);
      expect(alert.annotations.figure).toMatch(
        /^(1234\.50 (USD|ms|%)|1234( executions| tokens| calls)?)$/,
      );
    }
  });
});

describe('Slack: a firing cost alert', () => {
  const slack = settingsOf('slack');
  const data = templateData(
    group('tokenmeter-slack', [alertOf('tokenmeter-high-cost', 'firing', 152.3)]),
  );

  it('title: status, count and alert name', () => {
    expect(renderTemplate(definitions, slack.title as string, data)).toBe(
      '[FIRING:1] High LLM cost',
    );
  });

  it('text: what happened, the figure against the threshold, severity and the dashboard link', () => {
    expect(renderTemplate(definitions, slack.text as string, data)).toBe(
      [
        'Firing:',
        'High LLM cost: cost of model calls over the last 24h is 152.30 USD (threshold above 100 USD)',
        'Figure: 152.30 USD (threshold > 100 USD)',
        'Severity: critical',
        'Model calls cost more than expected over the window; see the top users and prompts.',
        'Dashboard: http://localhost:3000/d/tokenmeter-overview?orgId=1',
        '',
        '',
      ].join('\n'),
    );
  });
});

describe('E-mail: slow model calls of two services, one resolved', () => {
  const email = settingsOf('email');
  const data = templateData(
    group('tokenmeter-email', [
      alertOf('tokenmeter-slow-model-calls', 'firing', 2875.25, {
        job: 'recommendation-api',
        gen_ai_request_model: 'gpt-4o',
      }),
      alertOf('tokenmeter-slow-model-calls', 'resolved', 1200, {
        job: 'search-api',
        gen_ai_request_model: 'claude-sonnet-4',
      }),
    ]),
  );

  it('subject: one firing of the group', () => {
    expect(renderTemplate(definitions, email.subject as string, data)).toBe(
      '[FIRING:1] Slow model calls',
    );
  });

  it('message: the firing and the resolved alert with service, model, figure and link', () => {
    const message = renderTemplate(definitions, email.message as string, data);
    expect(message).toContain(
      [
        'Firing:',
        'Slow model calls: p95 latency of model calls (5-minute rate) is 2875.25 ms (threshold above 2000 ms)',
        'Figure: 2875.25 ms (threshold > 2000 ms)',
        'Service: recommendation-api',
        'Model: gpt-4o',
        'Severity: warning',
      ].join('\n'),
    );
    expect(message).toContain(
      'Resolved:\nSlow model calls: p95 latency of model calls (5-minute rate) is 1200.00 ms',
    );
    expect(message).toContain(
      'Service: search-api\nModel: claude-sonnet-4\nSeverity: warning\nDashboard: http',
    );
    expect(
      message.match(/Dashboard: http:\/\/localhost:3000\/d\/tokenmeter-health-endpoints\?orgId=1/g),
    ).toHaveLength(2);
  });
});

describe('a resolved group', () => {
  it('title says RESOLVED without a count', () => {
    const data = templateData(
      group('tokenmeter-slack', [
        alertOf('tokenmeter-llm-error-rate', 'resolved', 0.4, { job: 'api' }),
      ]),
    );
    expect(renderTemplate(definitions, settingsOf('slack').title as string, data)).toBe(
      '[RESOLVED] High LLM error rate',
    );
  });
});

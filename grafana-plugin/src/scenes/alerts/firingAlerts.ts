import { getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

/** Grafana's built-in Alertmanager: the alerts currently firing (not silenced, not inhibited). */
export const FIRING_ALERTS_URL = '/api/alertmanager/grafana/api/v2/alerts';
export const FIRING_ALERTS_PARAMS = { active: true, silenced: false, inhibited: false } as const;

export interface FiringAlert {
  name: string;
  summary: string;
  severity: string;
  startsAt: string;
}

interface GettableAlert {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  status?: { state?: string };
}

export function toFiringAlerts(response: unknown): FiringAlert[] {
  if (!Array.isArray(response)) {
    throw new Error('Grafana alerting answered with something other than a list of alerts');
  }
  return (response as GettableAlert[])
    .filter((alert) => (alert.status?.state ?? 'active') === 'active')
    .map((alert) => {
      const name = alert.labels?.alertname ?? 'Unnamed alert';
      const summary = alert.annotations?.summary ?? alert.annotations?.description ?? '';
      // The provisioned rules' summaries open with the rule's title, which the banner already shows.
      return { name, summary: summary.startsWith(`${name}: `) ? summary.slice(name.length + 2) : summary, alert };
    })
    .map(({ name, summary, alert }) => ({
      name,
      summary,
      severity: alert.labels?.severity ?? '',
      startsAt: alert.startsAt ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function fetchFiringAlerts(): Promise<FiringAlert[]> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<unknown>({
      url: FIRING_ALERTS_URL,
      params: FIRING_ALERTS_PARAMS,
      showErrorAlert: false,
    })
  );
  return toFiringAlerts(response.data);
}

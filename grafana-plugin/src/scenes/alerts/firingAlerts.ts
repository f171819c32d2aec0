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
    .map((alert) => ({
      name: alert.labels?.alertname ?? 'Unnamed alert',
      summary: alert.annotations?.summary ?? alert.annotations?.description ?? '',
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

import { PluginType, type AppPluginMeta } from '@grafana/data';
import { locationService, setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';
import { ALERT_THRESHOLDS } from '@tokenmeter/provisioning/display';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import type { TokenmeterJsonData } from '../settings/settings';
import AppConfig, { type AppConfigProps } from './AppConfig';
import { SETTINGS_FIELDS } from './settingsForm';

function meta(jsonData: TokenmeterJsonData): AppPluginMeta<TokenmeterJsonData> {
  return {
    id: 'tokenmeter-llm-app',
    name: 'Tokenmeter',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData,
    info: {} as AppPluginMeta['info'],
    module: '',
    baseUrl: '',
  };
}

function renderConfig(jsonData: TokenmeterJsonData) {
  const requests: BackendSrvRequest[] = [];
  setBackendSrv({
    fetch: (request: BackendSrvRequest) => {
      requests.push(request);
      return of({ data: {}, status: 200, ok: true });
    },
  } as unknown as BackendSrv);
  const reload = jest.spyOn(locationService, 'reload').mockImplementation(() => undefined);
  const props = { plugin: { meta: meta(jsonData) }, query: {} } as unknown as AppConfigProps;
  render(<AppConfig {...props} />);
  return { requests, reload };
}

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('Configuration page', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says plainly that the alert rules keep their own thresholds, and which', () => {
    renderConfig({ monthlyBudgetUsd: 5 });
    expect(screen.getByText(/do not change the alert rules/)).toBeTruthy();
    const notice = screen.getByText(/provisioning\/grafana\/alerting\/rules\.yaml/).textContent ?? '';
    expect(notice).toContain(`${ALERT_THRESHOLDS.monthlyBudgetUsd} USD budget`);
    expect(notice).toContain(`more than ${ALERT_THRESHOLDS.freeDailyQuota} executions`);
  });

  it('shows the saved settings, defaults for the rest, error rates in percent', () => {
    renderConfig({ costCriticalUsd: 250, errorRateCritical: 0.08 });
    expect(input('Cost: critical from (USD)').value).toBe('250');
    expect(input('Error rate: critical from (%)').value).toBe('8');
    expect(input('Prometheus datasource uid').value).toBe(DEFAULT_SETTINGS.prometheusUid);
    expect(input('FREE plan daily quota (executions)').value).toBe('3');
  });

  it('saves exactly what it shows into the plugin jsonData, then reloads', async () => {
    const { requests, reload } = renderConfig({});
    fireEvent.change(input('Monthly budget (USD)'), { target: { value: '750' } });
    fireEvent.change(input('Error rate: watch from (%)'), { target: { value: '1.5' } });
    fireEvent.change(input('FREE plan daily quota (executions)'), { target: { value: '10' } });
    const shown = Object.fromEntries(SETTINGS_FIELDS.map((field) => [field.key, input(field.label).value]));
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ url: '/api/plugins/tokenmeter-llm-app/settings', method: 'POST' });
    const saved = (requests[0].data as { jsonData: Record<string, number | string>; enabled: boolean }).jsonData;
    expect((requests[0].data as { enabled: boolean }).enabled).toBe(true);
    for (const field of SETTINGS_FIELDS) {
      const expected =
        field.kind === 'uid' ? shown[field.key] : Number(shown[field.key]) / (field.kind === 'percent' ? 100 : 1);
      expect({ [field.key]: saved[field.key] }).toEqual({ [field.key]: expected });
    }
    expect(saved).toMatchObject({ monthlyBudgetUsd: 750, errorRateWarn: 0.015, freeDailyQuota: 10 });
  });

  it('refuses bad input with a clear message and saves nothing', async () => {
    const { requests } = renderConfig({});
    fireEvent.change(input('Latency: watch from (ms)'), { target: { value: '5000' } });
    fireEvent.change(input('FREE plan daily quota (executions)'), { target: { value: 'three' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(await screen.findByText('The watch level must not exceed the critical level')).toBeInTheDocument();
    expect(screen.getByText('Enter a number of 0 or more')).toBeInTheDocument();
    expect(requests).toHaveLength(0);
  });
});

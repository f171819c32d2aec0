import { FieldType, toDataFrame, type DataQueryRequest } from '@grafana/data';
import type { EmbeddedScene } from '@grafana/scenes';
import type { DataQuery } from '@grafana/schema';
import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import { act, render, screen, waitFor } from '@testing-library/react';
import React from 'react';
import { of } from 'rxjs';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import { datasourceSettings, HostDatasource, installGrafanaRuntime } from '../test-support/grafanaRuntime';
import { panels } from '../test-support/sceneTree';
import { stubPanelPlugins } from '../test-support/stubPanels';
import { dependenciesScene, pipelineScene } from './health/healthScenes';
import { modelsScene } from './models/modelsScene';
import { overviewScene } from './overview/overviewScene';
import { promptsScene } from './prompts/promptsScene';
import { userDetailScene, usersScene } from './users/usersScenes';

const queried: string[] = [];

/** One row per query: a number column named after the query, so panels have something to show. */
function answer(request: DataQueryRequest<DataQuery>) {
  return of({
    data: request.targets.map((target) => {
      queried.push((target as DataQuery & { catalogId?: string }).catalogId ?? target.refId);
      return toDataFrame({
        refId: target.refId,
        fields: [
          { name: 'time', type: FieldType.time, values: [Date.UTC(2026, 10, 20)] },
          { name: 'requests', type: FieldType.number, values: [12] },
          { name: 'cost_usd', type: FieldType.number, values: [1.5] },
        ],
      });
    }),
  });
}

beforeAll(() => {
  installGrafanaRuntime({
    datasources: [
      new HostDatasource(datasourceSettings(DATASOURCES.postgres, 'grafana-postgresql-datasource', 'PostgreSQL'), answer),
      new HostDatasource(datasourceSettings(DATASOURCES.prometheus, 'prometheus', 'Prometheus'), answer),
    ],
    fetch: async (request) => ({
      data:
        request.url === '/api/alertmanager/grafana/api/v2/alerts'
          ? [{ labels: { alertname: 'Tokenmeter high cost' }, annotations: { summary: 'above 100 USD' }, status: { state: 'active' } }]
          : {},
      status: 200,
      ok: true,
      headers: new Headers(),
      redirected: false,
      statusText: 'OK',
      type: 'basic',
      url: request.url,
      config: request,
    }),
    panels: stubPanelPlugins(['stat', 'timeseries', 'table', 'piechart', 'barchart', 'bargauge']),
    templateSrv: {
      getVariables: () => [],
      replace: (text?: string) => text ?? '',
      containsTemplate: () => false,
      updateTimeRange: () => undefined,
    },
  });
});

const PAGES: Array<[string, () => EmbeddedScene]> = [
  ['Overview', () => overviewScene(DEFAULT_SETTINGS)],
  ['Users', () => usersScene(DEFAULT_SETTINGS, '/a/tokenmeter-llm-app/users')],
  ['User drill-down', () => userDetailScene(DEFAULT_SETTINGS, 'user-1', '/a/tokenmeter-llm-app/users')],
  ['Prompts', () => promptsScene(DEFAULT_SETTINGS)],
  ['Models & pricing', () => modelsScene(DEFAULT_SETTINGS)],
  ['Health: dependencies', () => dependenciesScene(DEFAULT_SETTINGS)],
  ['Health: pipeline', () => pipelineScene(DEFAULT_SETTINGS)],
];

describe.each(PAGES)('%s page', (_name, build) => {
  it('renders every panel with its data and logs no error', async () => {
    const errors = jest.spyOn(console, 'error');
    const scene = build();
    const view = render(<scene.Component model={scene} />);
    const titles = panels(scene).map((panel) => panel.state.title);
    for (const title of titles) {
      expect(await screen.findByTestId(`data-testid Panel header ${title}`)).toBeInTheDocument();
    }
    await waitFor(() => expect(screen.getAllByTestId('stub-panel')).toHaveLength(titles.length));
    expect(screen.getByTestId('tokenmeter-refresh-indicator')).toHaveTextContent('Auto-refresh every 1m');
    expect(errors).not.toHaveBeenCalled();
    act(() => view.unmount());
    errors.mockRestore();
  });
});

describe('Overview alerts banner', () => {
  it('shows the alerts firing in Grafana alerting', async () => {
    const scene = overviewScene(DEFAULT_SETTINGS);
    render(<scene.Component model={scene} />);
    expect(await screen.findByTestId('tokenmeter-firing-alerts')).toHaveTextContent('Tokenmeter high cost — above 100 USD');
  });
});

// The browser harness: a page that plays Grafana for the BUILT plugin. It sets Grafana's runtime
// services, loads dist/module.js through an AMD loader with the host's shared libraries, and
// renders the app's root page (or its Configuration page) for the current URL.
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import { PluginType, type AppPlugin, type AppPluginMeta, type AppRootProps } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { config, locationService, LocationServiceProvider } from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import { ThemeContext } from '@grafana/data';
import i18next from 'i18next';
import * as lodash from 'lodash';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as ReactRouter from 'react-router';
import { Route, Router, Routes } from 'react-router';
import * as jsxRuntime from 'react/jsx-runtime';
import * as rxjs from 'rxjs';
import { datasourceSettings, HostDatasource, installGrafanaRuntime } from '../../src/test-support/grafanaRuntime';
import { loadAmdModule } from './amdLoader';
import { queryHost, sceneTemplateSrv } from './hostQueries';
import { hostPanels } from './panels';
import { fillStandardRegistries } from './standardRegistries';

interface HarnessConfig {
  pluginId: string;
  pluginUrl: string;
  jsonData: Record<string, unknown>;
  datasources: Array<{ uid: string; type: string; name: string }>;
}

declare global {
  interface Window {
    __TOKENMETER_HARNESS__: HarnessConfig;
    __harnessReady?: boolean;
    __harnessError?: string;
  }
}

const SHARED_MODULES: Record<string, unknown> = {
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
  i18next,
  lodash,
  react: React,
  'react-dom': ReactDOM,
  'react-router': ReactRouter,
  'react/jsx-runtime': jsxRuntime,
  rxjs,
};

/** Grafana's router: react-router 6 driven by the history object of @grafana/runtime's locationService. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = React.useState(history.location);
  React.useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

/** Grafana's page chrome around a plugin page: its content sits inside the page's padding. */
function PageContents({ children }: { children: React.ReactNode }) {
  return <div style={{ padding: config.theme2.spacing(2) }}>{children}</div>;
}

async function start() {
  const harness = window.__TOKENMETER_HARNESS__;
  fillStandardRegistries();
  await i18next.init({ lng: 'en-US', fallbackLng: 'en-US', resources: {} });
  installGrafanaRuntime({
    datasources: harness.datasources.map(
      (datasource) => new HostDatasource(datasourceSettings(datasource.uid, datasource.type, datasource.name), queryHost)
    ),
    fetch: async (request) => {
      const query = request.params ? `?${new URLSearchParams(request.params as Record<string, string>)}` : '';
      const response = await fetch(`${request.url}${query}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        body: request.data === undefined ? undefined : JSON.stringify(request.data),
      });
      const data = await response.json();
      if (!response.ok) {
        throw Object.assign(new Error(`${request.url} answered ${response.status}`), { status: response.status, data });
      }
      return {
        data,
        status: response.status,
        ok: response.ok,
        headers: response.headers,
        redirected: false,
        statusText: response.statusText,
        type: response.type,
        url: response.url,
        config: request,
      };
    },
    panels: hostPanels(),
    templateSrv: sceneTemplateSrv,
  });

  const exports = await loadAmdModule(harness.pluginUrl, SHARED_MODULES);
  const plugin = exports.plugin as AppPlugin;
  const meta: AppPluginMeta = {
    id: harness.pluginId,
    name: 'Tokenmeter',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData: harness.jsonData,
    module: harness.pluginUrl,
    baseUrl: harness.pluginUrl.replace(/\/module\.js$/, ''),
    info: {
      author: { name: 'Tokenmeter' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  };
  plugin.init(meta);
  plugin.meta = meta;
  const Root = plugin.root as React.ComponentType<AppRootProps>;
  const ConfigPage = plugin.configPages?.[0]?.body as React.ComponentType<{ plugin: AppPlugin; query: Record<string, string> }>;

  document.body.style.background = config.theme2.colors.background.canvas;
  document.body.style.color = config.theme2.colors.text.primary;
  document.body.style.margin = '0';
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={config.theme2}>
      {/* Grafana's global styles (border-box sizing, fonts, scrollbars) that every page has. */}
      <grafanaUi.GlobalStyles />
      <LocationServiceProvider service={locationService}>
      <HostRouter>
        <Routes>
          <Route
            path={`/a/${harness.pluginId}/*`}
            element={
              <PageContents>
                <Root meta={meta} path={`/a/${harness.pluginId}`} query={{}} basename={`/a/${harness.pluginId}`} onNavChanged={() => undefined} />
              </PageContents>
            }
          />
          <Route path={`/plugins/${harness.pluginId}`} element={<ConfigPage plugin={plugin} query={{}} />} />
        </Routes>
      </HostRouter>
      </LocationServiceProvider>
    </ThemeContext.Provider>
  );
  window.__harnessReady = true;
}

start().catch((error: unknown) => {
  window.__harnessError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  throw error;
});

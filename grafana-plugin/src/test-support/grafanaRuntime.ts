// Grafana's runtime services, set the way Grafana sets them before it loads an app plugin, for the
// jsdom tests and the browser harness. Only the host's wiring lives here; the plugin code, Scenes,
// @grafana/ui and @grafana/data under test are the real ones.
import {
  DataSourceApi,
  LoadingState,
  PluginType,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type PanelData,
  type PanelPlugin,
  type PanelPluginMeta,
} from '@grafana/data';
import {
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
  toDataQueryError,
  type BackendSrv,
  type BackendSrvRequest,
  type DataSourceSrv,
  type FetchResponse,
  type TemplateSrv,
} from '@grafana/runtime';
import type { DataQuery, DataSourceRef } from '@grafana/schema';
import { catchError, from, lastValueFrom, map, of, type Observable } from 'rxjs';

export type QueryHandler = (request: DataQueryRequest<DataQuery>, settings: DataSourceInstanceSettings) => Observable<DataQueryResponse>;

/** A datasource instance whose queries go to `handler` (the harness server, or canned frames in jsdom). */
export class HostDatasource extends DataSourceApi<DataQuery> {
  constructor(
    readonly settings: DataSourceInstanceSettings,
    private readonly handler: QueryHandler
  ) {
    super(settings);
  }

  query(request: DataQueryRequest<DataQuery>): Observable<DataQueryResponse> {
    return this.handler(request, this.settings);
  }

  /** Query variables (SELECT DISTINCT service ...): the first column's values. */
  async metricFindQuery(query: DataQuery | string, options?: { range?: DataQueryRequest['range']; scopedVars?: DataQueryRequest['scopedVars'] }): Promise<MetricFindValue[]> {
    const target = (typeof query === 'string' ? { refId: 'variable', rawSql: query, rawQuery: true, format: 'table' } : query) as DataQuery;
    const response = await lastValueFrom(
      this.handler(
        {
          requestId: 'variable',
          interval: '1m',
          intervalMs: 60_000,
          range: options?.range!,
          scopedVars: options?.scopedVars ?? {},
          targets: [{ ...target, datasource: this.getRef() }],
          timezone: 'utc',
          app: 'scenes',
          startTime: Date.now(),
        },
        this.settings
      )
    );
    const frame = response.data[0];
    const values = frame?.fields?.[0]?.values ?? [];
    return Array.from(values as unknown[]).map((value) => ({ text: String(value), value: String(value) }));
  }

  async testDatasource() {
    return { status: 'success', message: 'ok' };
  }
}

/** Plugin info as Grafana's plugin registry lists a built-in plugin. */
function builtInInfo(description: string) {
  return {
    author: { name: 'Grafana Labs' },
    description,
    links: [],
    logos: { small: '', large: '' },
    screenshots: [],
    updated: '',
    version: '',
  };
}

/** A built-in panel plugin's meta, as Grafana sets it before handing the plugin to Scenes. */
export function builtInPanelMeta(id: string): PanelPluginMeta {
  return { id, name: id, type: PluginType.panel, module: `core:plugin/${id}`, baseUrl: '', sort: 0, info: builtInInfo(id) };
}

export function datasourceSettings(uid: string, type: string, name: string): DataSourceInstanceSettings {
  return {
    id: uid.length,
    uid,
    type,
    name,
    access: 'proxy',
    jsonData: {},
    readOnly: true,
    meta: {
      id: type,
      name: type,
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: 'Grafana Labs' },
        description: type,
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
      metrics: true,
    },
  };
}

class HostDataSourceSrv implements DataSourceSrv {
  constructor(private readonly datasources: HostDatasource[]) {}

  private find(ref?: DataSourceRef | string | null): HostDatasource | undefined {
    const uid = typeof ref === 'string' ? ref : ref?.uid;
    return this.datasources.find((datasource) => datasource.uid === uid || datasource.name === uid);
  }

  async get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const datasource = this.find(ref);
    if (!datasource) {
      throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
    }
    return datasource;
  }

  getList(): DataSourceInstanceSettings[] {
    return this.datasources.map((datasource) => datasource.settings);
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    return this.find(ref)?.settings;
  }

  async reload() {}

  registerRuntimeDataSource() {}
}

/** Grafana's runRequest: one datasource query, its frames or its error as PanelData. */
function runRequest(datasource: DataSourceApi, request: DataQueryRequest): Observable<PanelData> {
  return from(datasource.query(request) as Observable<DataQueryResponse>).pipe(
    map(
      (response): PanelData => ({
        state: response.errors?.length ? LoadingState.Error : LoadingState.Done,
        series: response.data,
        errors: response.errors,
        request,
        timeRange: request.range,
      })
    ),
    catchError((error) => {
      const queryError = toDataQueryError(error);
      return of<PanelData>({ state: LoadingState.Error, series: [], errors: [queryError], request, timeRange: request.range });
    })
  );
}

export interface HostServices {
  datasources: HostDatasource[];
  /** Grafana HTTP API calls of the plugin (alerting, plugin settings). */
  fetch: (request: BackendSrvRequest) => Promise<FetchResponse<unknown>>;
  panels: Record<string, PanelPlugin>;
  templateSrv: TemplateSrv;
}

export function installGrafanaRuntime(services: HostServices): void {
  setDataSourceSrv(new HostDataSourceSrv(services.datasources));
  setRunRequest(runRequest);
  setTemplateSrv(services.templateSrv);
  setBackendSrv({
    fetch: (request: BackendSrvRequest) => from(services.fetch(request)),
    get: async (url: string, params?: BackendSrvRequest['params']) => (await services.fetch({ url, params, method: 'GET' })).data,
    post: async (url: string, data?: unknown) => (await services.fetch({ url, data, method: 'POST' })).data,
  } as unknown as BackendSrv);
  setPluginImportUtils({
    importPanelPlugin: async (id: string) => {
      const panel = services.panels[id];
      if (!panel) {
        throw new Error(`No panel plugin "${id}" in this host`);
      }
      return panel;
    },
    getPanelPluginFromCache: (id: string) => services.panels[id],
  });
}

// Options of Grafana's alert list panel (plugin id `alertlist`), which @grafana/schema does not
// describe. Re-stated from the fields Grafana 13's panel reads (public/app/plugins/panel/alertlist,
// UnifiedAlertListOptions), values as they appear in dashboard JSON.
export interface AlertListOptions {
  maxItems: number;
  /** 1 alphabetical ascending, 2 descending, 3 importance, 4 time ascending, 5 time descending */
  sortOrder: 1 | 2 | 3 | 4 | 5;
  dashboardAlerts: boolean;
  groupMode: 'default' | 'custom';
  groupBy: string[];
  customGroupLayout: 'byRule' | 'flat';
  alertName: string;
  showInstances: boolean;
  priorityLabels: string[];
  /** The panel filters by the folder's uid; the title is what the picker shows. */
  folder: { uid: string; title: string };
  stateFilter: {
    firing: boolean;
    pending: boolean;
    inactive?: boolean;
    recovering: boolean;
    noData: boolean;
    normal: boolean;
    error: boolean;
  };
  alertInstanceLabelFilter: string;
  datasource: string;
  viewMode: 'list' | 'stat';
  showInactiveAlerts: boolean;
}

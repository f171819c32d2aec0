import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { SceneObjectBase, sceneGraph, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { Alert, useStyles2 } from '@grafana/ui';
import React from 'react';
import { fetchFiringAlerts, type FiringAlert } from './firingAlerts';

interface FiringAlertsBannerState extends SceneObjectState {
  alerts: FiringAlert[];
  error?: string;
}

/** docs/features.md D3: the firing alerts, at the top of the Overview; re-read whenever the page refreshes. */
export class FiringAlertsBanner extends SceneObjectBase<FiringAlertsBannerState> {
  static Component = FiringAlertsBannerRenderer;

  constructor(state: Partial<FiringAlertsBannerState> = {}) {
    super({ alerts: [], ...state });
    this.addActivationHandler(() => {
      void this.load();
      const subscription = sceneGraph.getTimeRange(this).subscribeToState(() => void this.load());
      return () => subscription.unsubscribe();
    });
  }

  async load(): Promise<void> {
    try {
      this.setState({ alerts: await fetchFiringAlerts(), error: undefined });
    } catch (error) {
      this.setState({ error: error instanceof Error ? error.message : 'Grafana alerting did not answer' });
    }
  }
}

function FiringAlertsBannerRenderer({ model }: SceneComponentProps<FiringAlertsBanner>) {
  const { alerts, error } = model.useState();
  const styles = useStyles2(getStyles);
  if (error) {
    return (
      <Alert severity="warning" title="Firing alerts unavailable" data-testid="tokenmeter-alerts-error">
        {error}
      </Alert>
    );
  }
  if (alerts.length === 0) {
    return null;
  }
  return (
    <Alert
      severity="error"
      title={`${alerts.length} alert${alerts.length === 1 ? '' : 's'} firing`}
      data-testid="tokenmeter-firing-alerts"
    >
      <ul className={styles.list}>
        {alerts.map((alert) => (
          <li key={`${alert.name}-${alert.startsAt}`}>
            <strong>{alert.name}</strong>
            {alert.summary ? ` — ${alert.summary}` : ''}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ margin: 0, paddingLeft: theme.spacing(2) }),
});

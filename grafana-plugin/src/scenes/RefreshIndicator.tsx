import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import {
  SceneObjectBase,
  SceneRefreshPicker,
  sceneGraph,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Icon, useStyles2 } from '@grafana/ui';
import React from 'react';

interface RefreshIndicatorState extends SceneObjectState {
  lastRefresh?: number;
}

/** docs/features.md B2's visible indicator: the auto-refresh interval and when the figures were last refreshed. */
export class RefreshIndicator extends SceneObjectBase<RefreshIndicatorState> {
  static Component = RefreshIndicatorRenderer;

  constructor(state: RefreshIndicatorState) {
    super(state);
    this.addActivationHandler(() => {
      this.setState({ lastRefresh: Date.now() });
      const subscription = sceneGraph.getTimeRange(this).subscribeToState(() => {
        this.setState({ lastRefresh: Date.now() });
      });
      return () => subscription.unsubscribe();
    });
  }

  getInterval(): string {
    const picker = sceneGraph.findObject(this, (object) => object instanceof SceneRefreshPicker) as
      | SceneRefreshPicker
      | null;
    return picker?.state.refresh ?? '';
  }
}

function RefreshIndicatorRenderer({ model }: SceneComponentProps<RefreshIndicator>) {
  const { lastRefresh } = model.useState();
  const styles = useStyles2(getStyles);
  const interval = model.getInterval();
  return (
    <div className={styles.indicator} data-testid="tokenmeter-refresh-indicator" aria-live="polite">
      <Icon name="sync" className={interval ? styles.live : undefined} />
      <span>
        {interval ? `Auto-refresh every ${interval}` : 'Auto-refresh off'}
        {lastRefresh ? ` · updated ${dateTimeFormat(lastRefresh, { format: 'HH:mm:ss' })}` : ''}
      </span>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  indicator: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    whiteSpace: 'nowrap',
  }),
  live: css({ color: theme.colors.success.text }),
});

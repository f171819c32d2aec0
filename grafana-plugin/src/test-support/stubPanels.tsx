import { PanelPlugin, type PanelProps } from '@grafana/data';
import { builtInPanelMeta } from './grafanaRuntime';
import React from 'react';

/** jsdom cannot lay out canvas charts: each built-in panel renders its field names and row counts. */
function StubPanel({ data }: PanelProps) {
  return (
    <div data-testid="stub-panel">
      {data.series.map((frame, index) => (
        <span key={index}>
          {frame.fields.map((field) => field.name).join(',')} ({frame.length} rows)
        </span>
      ))}
    </div>
  );
}

export function stubPanelPlugins(ids: string[]): Record<string, PanelPlugin> {
  return Object.fromEntries(
    ids.map((id) => {
      const plugin = new PanelPlugin(StubPanel);
      plugin.meta = builtInPanelMeta(id);
      return [id, plugin];
    })
  );
}

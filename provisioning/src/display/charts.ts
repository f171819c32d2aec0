// Chart options the app plugin and the dashboards share (docs/features.md B7).

/**
 * A pie of a few slices (model mix, billing mode): a whole pie with each slice's share on it and a
 * legend of names and shares under it, which a narrow panel wraps rather than cuts.
 */
export const PIE_OPTIONS = {
  pieType: 'pie',
  displayLabels: ['percent'],
  legend: { displayMode: 'list', placement: 'bottom', showLegend: true, values: ['percent'] },
  tooltip: { mode: 'single', sort: 'none' },
} as const;

/**
 * Grafana's "organize fields" transformation that keeps only `keep` of a query's columns, so a
 * pie of one figure is named by its slice's label alone (Grafana appends the figure's column name
 * to each slice's name while the frame has another numeric column).
 */
export function keepOnlyFields(
  keep: string[],
  all: string[],
): { id: 'organize'; options: { excludeByName: Record<string, boolean> } } {
  return {
    id: 'organize',
    options: {
      excludeByName: Object.fromEntries(
        all.filter((name) => !keep.includes(name)).map((name) => [name, true]),
      ),
    },
  };
}

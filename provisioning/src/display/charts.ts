// Chart options the app plugin and the dashboards share (docs/features.md B7).
import { RECOMMENDATION_EVENT_NAMES } from '../queries/health-promql';

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

/** "recommendation.generated" → "Generated": the funnel step in plain words. */
export function plainEventName(name: string): string {
  return name.replace('recommendation.', '').replace(/^./, (c) => c.toUpperCase());
}

/**
 * The transformations that turn the instant `domain_events` series into one row per funnel step,
 * summed over their types ("recommendation.viewed upgrade", "recommendation.viewed downgrade" … →
 * one row "Viewed"), for a bar chart whose x field is `Field`.
 */
export function eventsByStepTransformations(): Array<{
  id: string;
  options: Record<string, unknown>;
}> {
  return [
    ...RECOMMENDATION_EVENT_NAMES.map((name) => ({
      id: 'renameByRegex',
      options: {
        regex: `/^${name.replace('.', '[.]')}( .*)?$/`,
        renamePattern: plainEventName(name),
      },
    })),
    { id: 'reduce', options: { reducers: ['lastNotNull'], mode: 'seriesToRows' } },
    {
      id: 'groupBy',
      options: {
        fields: {
          Field: { operation: 'groupby', aggregations: [] },
          'Last *': { operation: 'aggregate', aggregations: ['sum'] },
        },
      },
    },
  ];
}

/** The bar chart's x field after eventsByStepTransformations: the step's name. */
export const EVENTS_BY_STEP_X_FIELD = 'Field';

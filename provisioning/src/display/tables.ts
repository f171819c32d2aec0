// How each table shows its query's columns, for the app plugin and the provisioned dashboards alike
// (docs/features.md E3): the header, the width a column needs to show its values whole, and which
// columns give way first when a panel is too narrow for all of them.
import { COUNT_UNIT, decimalsOf } from './formats';

/** One column of a table: `field` is the query's column name. */
export interface TableColumn {
  field: string;
  header: string;
  /**
   * Narrowest width, px, at which the header and the column's usual values show whole at the
   * table's font (14 px Inter: about 8.5 px a character, plus 16 px of cell padding).
   */
  minWidth: number;
  /** Grafana unit of the column when the table's own differs (e.g. a short time format, a count). */
  unit?: string;
  /** Decimals the column always shows (none for a count). */
  decimals?: number;
}

export interface TableLayout {
  /** The columns shown, most important first: a narrow panel shows the first ones that fit. */
  columns: TableColumn[];
  /** Columns kept in the data (links, colours) but never shown. */
  hidden: string[];
}

/** A short time of day with its date, for tables of recent rows (the year is the current one). */
export const SHORT_TIME_UNIT = 'time:MM-DD HH:mm';

const col = (field: string, header: string, minWidth: number, unit?: string): TableColumn => ({
  field,
  header,
  minWidth,
  ...(unit ? { unit } : {}),
  ...(decimalsOf(unit) !== undefined ? { decimals: decimalsOf(unit) } : {}),
});

/** A column of counts: whole numbers (formats.ts). */
const count = (field: string, header: string, minWidth: number): TableColumn =>
  col(field, header, minWidth, COUNT_UNIT);

/** A user id whole ("user-alice-0001", 15 characters); a longer id gives way to an ellipsis. */
const USER_ID_WIDTH = 150;

/** The latest model calls: when, what it cost and whether it worked come first. */
const RECENT_CALLS: TableLayout = {
  columns: [
    col('time', 'Time', 112, SHORT_TIME_UNIT),
    col('cost_usd', 'Cost', 86),
    col('status', 'Status', 72),
    col('prompt', 'Prompt', 150),
    col('duration_ms', 'Duration', 86),
    col('model', 'Model', 112),
    col('user_id', 'User', USER_ID_WIDTH),
    count('total_tokens', 'Tokens', 72),
    col('error_type', 'Error', 80),
  ],
  hidden: ['operation', 'billing_mode', 'plan'],
};

/** Per catalog query shown as a table, how its table lays out its columns. */
export const TABLE_LAYOUTS = {
  top_users: {
    columns: [
      col('user_id', 'User', USER_ID_WIDTH),
      col('cost_usd', 'Cost', 84),
      count('requests', 'Requests', 90),
      count('tokens', 'Tokens', 76),
    ],
    hidden: [],
  },
  recent_activity: RECENT_CALLS,
  user_recent_activity: RECENT_CALLS,
  top_prompts_by_cost: {
    columns: [
      col('prompt', 'Prompt', 150),
      col('cost_usd', 'Cost', 110),
      count('requests', 'Requests', 90),
      col('cost_per_request_usd', 'Cost / request', 124),
      count('tokens', 'Tokens', 76),
      count('prompt_tokens', 'Prompt tokens', 120),
      count('completion_tokens', 'Completion tokens', 150),
    ],
    hidden: [],
  },
  top_prompts_by_tokens: {
    columns: [
      col('prompt', 'Prompt', 150),
      count('tokens', 'Tokens', 110),
      count('requests', 'Requests', 90),
      col('cost_usd', 'Cost', 84),
      count('prompt_tokens', 'Prompt tokens', 120),
      count('completion_tokens', 'Completion tokens', 150),
      col('cost_per_request_usd', 'Cost / request', 124),
    ],
    hidden: [],
  },
  prompt_performance: {
    columns: [
      col('prompt', 'Prompt', 150),
      col('avg_duration_ms', 'Avg latency', 104),
      col('error_rate', 'Error rate', 96),
      count('requests', 'Requests', 90),
      col('max_duration_ms', 'Slowest', 84),
      count('errors', 'Errors', 76),
    ],
    hidden: [],
  },
  user_models: {
    columns: [
      col('prompt', 'Prompt', 150),
      col('cost_usd', 'Cost', 86),
      col('model', 'Model', 112),
      count('requests', 'Requests', 90),
      count('tokens', 'Tokens', 76),
    ],
    hidden: [],
  },
  free_quota_today: {
    columns: [
      col('user_id', 'User', USER_ID_WIDTH),
      // Whether a user is over comes before by how much: on a phone it is what shows.
      col('over_quota', 'Over quota', 110),
      count('executions', 'Executions', 100),
      count('remaining', 'Remaining', 96),
      count('quota', 'Quota', 70),
    ],
    hidden: [],
  },
  free_quota_overruns: {
    columns: [
      col('time', 'Day', 100, 'time:YYYY-MM-DD'),
      col('user_id', 'User', USER_ID_WIDTH),
      count('over_by', 'Over by', 84),
      count('executions', 'Executions', 100),
    ],
    hidden: [],
  },
  model_mix: {
    columns: [
      col('model', 'Model', 140),
      col('cost_usd', 'Cost', 84),
      count('requests', 'Requests', 90),
    ],
    hidden: [],
  },
  price_list: {
    columns: [
      col('model', 'Model', 150),
      col('input_per_mtok', 'Input', 76),
      col('output_per_mtok', 'Output', 76),
      col('cached_input_per_mtok', 'Cached input', 110),
      col('provider', 'Provider', 90),
      col('service_tier', 'Tier', 80),
      col('reasoning_per_mtok', 'Reasoning', 96),
      col('cache_write_per_mtok', 'Cache write 5 min', 146),
      col('cache_write_1h_per_mtok', 'Cache write 1 h', 134),
      col('long_context_above_tokens', 'Long context from', 150),
      col('long_context_input_per_mtok', 'Long-context input', 150),
      col('long_context_output_per_mtok', 'Long-context output', 160),
      col('effective_from', 'Effective from', 124, 'time:YYYY-MM-DD'),
      col('price_source', 'From', 90),
      col('source', 'Source', 110),
      col('catalog_version', 'Catalog version', 130),
    ],
    hidden: [],
  },
  unpriced_models: {
    columns: [
      col('model', 'Model', 140),
      count('unpriced_calls', 'Calls without a price', 170),
      col('reason', 'Why', 150),
      col('provider', 'Provider', 90),
      count('calls', 'Calls', 70),
      count('input_tokens', 'Input tokens', 110),
      count('output_tokens', 'Output tokens', 120),
    ],
    hidden: [],
  },
  endpoint_performance: {
    columns: [
      col('http_route', 'Route', 212),
      col('error_rate', 'Error rate', 96),
      col('p95_ms', 'p95 latency', 104),
      count('calls', 'Calls', 70),
      col('avg_ms', 'Avg latency', 104),
    ],
    hidden: [],
  },
} as const satisfies Record<string, TableLayout>;

export type TableName = keyof typeof TABLE_LAYOUTS;

/** Space a table panel takes beside its columns, px: panel padding and a vertical scrollbar. */
export const TABLE_CHROME_PX = 40;

/**
 * The columns a table `width` px wide shows: the most important ones, in order, while their
 * narrowest widths fit; always at least the first.
 */
export function columnsThatFit(layout: TableLayout, width: number): TableColumn[] {
  const shown: TableColumn[] = [];
  let used = 0;
  for (const column of layout.columns) {
    if (shown.length > 0 && used + column.minWidth > width - TABLE_CHROME_PX) {
      break;
    }
    shown.push(column);
    used += column.minWidth;
  }
  return shown;
}

/** The sum of the narrowest widths of a layout's columns: the width at which all of them show. */
export function fullWidth(layout: TableLayout): number {
  return layout.columns.reduce((sum, column) => sum + column.minWidth, TABLE_CHROME_PX);
}

/**
 * The width of each column a table `width` px wide shows (columnsThatFit): its narrowest width and
 * an equal share of the room left, leaving TABLE_CHROME_PX free for the panel's padding and
 * scrollbar so that the last column is never cut at the panel's edge.
 */
export function fittedColumnWidths(
  layout: TableLayout,
  width: number,
): Array<{ column: TableColumn; width: number }> {
  const shown = columnsThatFit(layout, width);
  const used = shown.reduce((sum, column) => sum + column.minWidth, 0);
  const spare = Math.max(0, width - TABLE_CHROME_PX - used);
  return shown.map((column) => ({
    column,
    width: Math.floor(column.minWidth + spare / shown.length),
  }));
}

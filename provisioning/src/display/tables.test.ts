import { getQuery } from '../queries';
import {
  TABLE_CHROME_PX,
  TABLE_LAYOUTS,
  columnsThatFit,
  fittedColumnWidths,
  fullWidth,
  type TableLayout,
} from './tables';

const layout: TableLayout = {
  columns: [
    { field: 'time', header: 'Time', minWidth: 100 },
    { field: 'cost_usd', header: 'Cost', minWidth: 80 },
    { field: 'prompt', header: 'Prompt', minWidth: 150 },
  ],
  hidden: ['user_id'],
};

describe('table layouts shared by the app and the dashboards', () => {
  it('show the most important columns that fit a width, always the first', () => {
    const fields = (width: number) => columnsThatFit(layout, width).map((column) => column.field);
    expect(fields(fullWidth(layout))).toEqual(['time', 'cost_usd', 'prompt']);
    expect(fields(fullWidth(layout) - 1)).toEqual(['time', 'cost_usd']);
    expect(fields(TABLE_CHROME_PX + 180)).toEqual(['time', 'cost_usd']);
    expect(fields(TABLE_CHROME_PX + 179)).toEqual(['time']);
    expect(fields(10)).toEqual(['time']);
  });

  it('give the shown columns the room left in equal shares, and no more than the width', () => {
    const widths = fittedColumnWidths(layout, TABLE_CHROME_PX + 200);
    expect(widths.map(({ column, width }) => [column.field, width])).toEqual([
      ['time', 110],
      ['cost_usd', 90],
    ]);
    for (const width of [120, 300, 390, 820, 1440]) {
      const sum = fittedColumnWidths(layout, width).reduce(
        (total, column) => total + column.width,
        0,
      );
      if (columnsThatFit(layout, width).length > 1) {
        expect(sum).toBeLessThanOrEqual(width - TABLE_CHROME_PX);
      }
    }
  });

  it('name only columns their query returns, each once, cost first or second where a table has one', () => {
    for (const [name, table] of Object.entries(TABLE_LAYOUTS)) {
      const fields = [...table.columns.map((column) => column.field), ...table.hidden];
      expect(new Set(fields).size).toBe(fields.length);
      if (name === 'endpoint_performance') {
        continue; // a merge of four PromQL queries: its columns are named by the table's transformation
      }
      const query = getQuery(name);
      for (const field of fields) {
        expect({ name, field, inQuery: query.expr.includes(field) }).toEqual({
          name,
          field,
          inQuery: true,
        });
      }
      const cost = table.columns.findIndex((column) => column.field === 'cost_usd');
      if (cost >= 0 && name !== 'top_prompts_by_tokens') {
        expect({ name, cost: cost <= 1 }).toEqual({ name, cost: true });
      }
    }
  });
});

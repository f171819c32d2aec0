import { PanelBuilders } from '@grafana/scenes';
import { TABLE_CHROME_PX, type TableLayout } from '@tokenmeter/provisioning/display';
import { FittedTable, fittedColumnOverrides } from './FittedTable';

const layout: TableLayout = {
  columns: [
    { field: 'time', header: 'Time', minWidth: 100 },
    { field: 'cost_usd', header: 'Cost', minWidth: 80 },
    { field: 'prompt', header: 'Prompt', minWidth: 150 },
  ],
  hidden: [],
};

const propertiesOf = (overrides: ReturnType<typeof fittedColumnOverrides>) =>
  Object.fromEntries(
    overrides.map((override) => [
      (override.matcher.options as { names: string[] }).names[0],
      Object.fromEntries(override.properties.map((property) => [property.id, property.value])),
    ])
  );

describe('a table fitted to its width', () => {
  it('gives the columns that fit their widths and hides the others, matched by name and by header', () => {
    const overrides = fittedColumnOverrides(layout, TABLE_CHROME_PX + 200);
    expect(propertiesOf(overrides)).toEqual({
      time: { 'custom.width': 110 },
      cost_usd: { 'custom.width': 90 },
      prompt: { 'custom.hideFrom': { viz: true, legend: true, tooltip: true } },
    });
    expect(overrides[1]?.matcher.options).toEqual({ mode: 'include', names: ['cost_usd', 'Cost'] });
    expect(Object.keys(propertiesOf(fittedColumnOverrides(layout, 1440)).prompt ?? {})).toEqual(['custom.width']);
  });

  it("applies them to its panel after the panel's own overrides, again only when the width changes what shows", () => {
    const panel = PanelBuilders.table()
      .setTitle('Recent')
      .setOverrides((overrides) => overrides.matchFieldsWithName('cost_usd').overrideUnit('currencyUSD'))
      .build();
    const table = new FittedTable({ panel, layout });
    table.fit(390);
    const narrow = panel.state.fieldConfig;
    expect(narrow.overrides[0]?.properties).toEqual([{ id: 'unit', value: 'currencyUSD' }]);
    expect(narrow.overrides).toHaveLength(1 + layout.columns.length);
    table.fit(390);
    expect(panel.state.fieldConfig).toBe(narrow);
    table.fit(1440);
    expect(panel.state.fieldConfig.overrides).toHaveLength(1 + layout.columns.length);
    expect(panel.state.fieldConfig).not.toBe(narrow);
    table.fit(0);
    expect(panel.state.fieldConfig.overrides).toHaveLength(1 + layout.columns.length);
  });
});

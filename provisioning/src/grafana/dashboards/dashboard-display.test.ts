// What a person reads on the provisioned dashboards: counts as whole numbers, and the same kind of
// chart as the app plugin shows for the same query.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNT_FIELDS, COUNT_UNIT } from '../../display';
import { getQuery } from '../../queries';

type Node = Record<string, unknown>;
interface FieldConfig {
  defaults: Node;
  overrides: Array<{
    matcher: { options: string };
    properties: Array<{ id: string; value: unknown }>;
  }>;
}

const jsonDir = join(__dirname, '../../../grafana/dashboards/json');
const panels: Node[] = readdirSync(jsonDir)
  .filter((file) => file.endsWith('.json'))
  .flatMap(
    (file) => (JSON.parse(readFileSync(join(jsonDir, file), 'utf8')) as { panels: Node[] }).panels,
  );
const panelTitled = (title: string): Node => {
  const found = panels.find((panel) => panel.title === title);
  if (!found) throw new Error(`no panel "${title}"`);
  return found;
};
const catalogIdsOf = (panel: Node): string[] =>
  ((panel.targets as Node[] | undefined) ?? []).map((target) => {
    const expr = (target.rawSql ?? target.expr) as string;
    const ids = ['overview_billing_modes', 'domain_events'].filter(
      (id) => getQuery(id).expr === expr,
    );
    return ids[0] ?? expr;
  });

/** Every (unit, decimals) a panel gives a figure: its defaults and each field override. */
function formatsOf(panel: Node): Array<{ where: string; unit: unknown; decimals: unknown }> {
  const config = panel.fieldConfig as FieldConfig | undefined;
  if (!config) return [];
  const title = String(panel.title);
  const formats = [
    { where: title, unit: config.defaults.unit, decimals: config.defaults.decimals },
  ];
  for (const override of config.overrides) {
    const unit = override.properties.find((p) => p.id === 'unit')?.value;
    const decimals = override.properties.find((p) => p.id === 'decimals')?.value;
    if (unit !== undefined)
      formats.push({ where: `${title} / ${override.matcher.options}`, unit, decimals });
  }
  return formats;
}

describe('provisioned dashboards: how figures read', () => {
  it('show every count as a whole number (never scaled to "1.2 K" nor with decimals like "1.00")', () => {
    const formats = panels.flatMap(formatsOf);
    // A field given 'short' would read "15.3 K" tokens or "1.00" errors.
    expect(
      formats.filter((format) => format.unit === 'short' && format.where.includes(' / ')),
    ).toEqual([]);
    expect(formats.filter((format) => format.unit === COUNT_UNIT && format.decimals !== 0)).toEqual(
      [],
    );
    const counts = panels.flatMap((panel) =>
      ((panel.fieldConfig as FieldConfig | undefined)?.overrides ?? [])
        .filter((override) => COUNT_FIELDS.includes(override.matcher.options))
        .map((override) => ({
          where: `${String(panel.title)} / ${override.matcher.options}`,
          // A field without its own unit reads in the panel's.
          unit:
            override.properties.find((p) => p.id === 'unit')?.value ??
            (panel.fieldConfig as FieldConfig).defaults.unit,
        })),
    );
    expect(counts.length).toBeGreaterThan(10);
    expect(counts.filter((count) => count.unit !== COUNT_UNIT)).toEqual([]);
    for (const title of [
      'LLM errors by type',
      'User summary',
      'Requests',
      'Tokens',
      'API calls (1h)',
    ]) {
      expect([title, (panelTitled(title).fieldConfig as FieldConfig).defaults]).toEqual([
        title,
        expect.objectContaining({ unit: COUNT_UNIT, decimals: 0 }),
      ]);
    }
  });

  it('show the whole user id in Top users, linked to the drill-down', () => {
    const overrides = (panelTitled('Top users').fieldConfig as FieldConfig).overrides;
    const userId = overrides.filter((override) => override.matcher.options === 'user_id');
    const properties = Object.fromEntries(
      userId.flatMap((o) => o.properties.map((p) => [p.id, p.value])),
    );
    expect(properties).toMatchObject({ displayName: 'User', links: [expect.anything()] });
    expect(properties['custom.hideFrom']).toBeUndefined();
    expect(JSON.stringify(panels)).not.toContain('user_short');
  });

  it('draw Domain events as a bar per funnel step and Billing mode as a pie of requests, as the app does', () => {
    const events = panelTitled('Domain events');
    expect(events.type).toBe('barchart');
    expect(catalogIdsOf(events)).toEqual(['domain_events']);
    expect(events.options).toMatchObject({ xField: 'Field' });
    const transformations = events.transformations as Array<{ id: string }>;
    expect(transformations.map((t) => t.id)).toEqual([
      'renameByRegex',
      'renameByRegex',
      'renameByRegex',
      'reduce',
      'groupBy',
    ]);

    const billing = panelTitled('Billing mode');
    expect(billing.type).toBe('piechart');
    expect(catalogIdsOf(billing)).toEqual(['overview_billing_modes']);
    expect(billing.options).toMatchObject({
      reduceOptions: { fields: '/^requests$/', values: true },
    });
    // The slice is named by the billing mode alone: cost_usd, the query's other figure, is left out.
    expect(billing.transformations).toEqual([
      { id: 'organize', options: { excludeByName: { cost_usd: true } } },
    ]);
    expect((billing.fieldConfig as FieldConfig).defaults).toMatchObject({
      unit: COUNT_UNIT,
      decimals: 0,
    });
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DATABASE_SETTINGS } from './database';
import { PRICING_SETTINGS } from './pricing';
import type { Setting, SettingFamily } from './setting';
import { SINK_SETTINGS } from './sink';

// The configuration tables of the READMEs say what the declarations say: the same variables, the
// same defaults.

const ROOT = resolve(__dirname, '../../..');
const NO_DEFAULT = new Set(['—', '— (required)', 'unset', 'empty']);

interface Row {
  variables: string[];
  default: string;
}

/** The rows of the markdown table that holds `anchor`: backticked variable names, default cell. */
function tableRows(file: string, anchor: string): Row[] {
  const lines = readFileSync(resolve(ROOT, file), 'utf8').split('\n');
  const at = lines.findIndex((line) => line.startsWith('|') && line.includes(`\`${anchor}\``));
  if (at < 0) throw new Error(`${file} has no table naming ${anchor}`);
  let first = at;
  while (lines[first - 1]?.startsWith('|')) first--;
  let last = at;
  while (lines[last + 1]?.startsWith('|')) last++;
  return lines
    .slice(first + 2, last + 1)
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map((cells) => ({
      variables: [...(cells[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!),
      default: (cells[2] ?? '').replace(/`/g, ''),
    }));
}

const declared = (...families: SettingFamily[]): Setting<unknown>[] =>
  families.flatMap((family) => Object.values(family));
const variablesOf = (setting: Setting<unknown>): string[] => [
  setting.variable,
  ...(setting.alternatives ?? []),
];
const documentedDefault = (setting: Setting<unknown>): string =>
  setting.default === undefined ? '—' : String(setting.default);
const normalised = (cell: string): string => (NO_DEFAULT.has(cell) ? '—' : cell);

function rowOf(rows: Row[], setting: Setting<unknown>): Row | undefined {
  return rows.find((row) => row.variables.join() === variablesOf(setting).join());
}

describe('README configuration tables', () => {
  // The sink reads the database, its own and the pricing settings.
  const sinkSettings = declared(DATABASE_SETTINGS, SINK_SETTINGS, PRICING_SETTINGS);

  it('collector/README.md lists exactly the sink settings, with their defaults', () => {
    const rows = tableRows('collector/README.md', 'TOKENMETER_SINK_PORT');
    expect(rows.map((row) => row.variables.join()).sort()).toEqual(
      sinkSettings.map((setting) => variablesOf(setting).join()).sort(),
    );
    for (const setting of sinkSettings) {
      expect([setting.variable, normalised(rowOf(rows, setting)!.default)]).toEqual([
        setting.variable,
        documentedDefault(setting),
      ]);
    }
  });

  it("README.md's summary gives the declared defaults", () => {
    const rows = tableRows('README.md', 'TOKENMETER_SINK_PORT');
    const summarised = sinkSettings.filter((setting) => rowOf(rows, setting));
    expect(summarised.length).toBeGreaterThanOrEqual(4);
    for (const setting of summarised) {
      expect([setting.variable, normalised(rowOf(rows, setting)!.default)]).toEqual([
        setting.variable,
        documentedDefault(setting),
      ]);
    }
  });
});

import fs from 'fs';
import os from 'os';
import path from 'path';
import { dashboardIncludes, DASHBOARDS_DIR, withDashboardIncludes } from './dashboard-includes';

describe('dashboard includes', () => {
  it('lists every provisioned dashboard by title', () => {
    const includes = dashboardIncludes();
    const files = fs.readdirSync(DASHBOARDS_DIR).filter((file) => file.endsWith('.json'));
    expect(includes.map((include) => include.path).sort()).toEqual(files.map((file) => `dashboards/${file}`).sort());
    expect(includes.every((include) => include.type === 'dashboard' && include.name.length > 0)).toBe(true);
  });

  it('appends them to the pages of plugin.json', () => {
    const pluginJson = JSON.parse(withDashboardIncludes(JSON.stringify({ id: 'x', includes: [{ type: 'page', name: 'Overview' }] })));
    expect(pluginJson.includes[0]).toEqual({ type: 'page', name: 'Overview' });
    expect(pluginJson.includes.length).toBe(1 + dashboardIncludes().length);
  });

  it('fails loudly when there is no dashboard to bundle', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'tm-dashboards-'));
    expect(() => dashboardIncludes(empty)).toThrow('No provisioned dashboards');
    fs.rmSync(empty, { recursive: true });
  });
});

// plugin.json `includes` for the provisioned dashboards, which the provisioning workspace generates
// into provisioning/grafana/dashboards/json: the build lists whatever is there, so nothing is kept by hand.
import fs from 'fs';
import path from 'path';

export const DASHBOARDS_DIR = path.resolve(__dirname, '../../provisioning/grafana/dashboards/json');

interface DashboardInclude {
  type: 'dashboard';
  name: string;
  path: string;
  addToNav: false;
}

export function dashboardIncludes(dir: string = DASHBOARDS_DIR): DashboardInclude[] {
  const files = fs.readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) {
    throw new Error(`No provisioned dashboards in ${dir}: run the provisioning generator first`);
  }
  return files.map((file) => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { title?: string };
    if (!dashboard.title) {
      throw new Error(`Dashboard ${file} has no title`);
    }
    return { type: 'dashboard', name: dashboard.title, path: `dashboards/${file}`, addToNav: false };
  });
}

export function withDashboardIncludes(pluginJsonText: string, dir?: string): string {
  const pluginJson = JSON.parse(pluginJsonText) as { includes?: unknown[] };
  pluginJson.includes = [...(pluginJson.includes ?? []), ...dashboardIncludes(dir)];
  return JSON.stringify(pluginJson, null, 2);
}

import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

export const ROUTES = {
  overview: 'overview',
  users: 'users',
  prompts: 'prompts',
  models: 'models',
  health: 'health',
} as const;

export function pageUrl(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

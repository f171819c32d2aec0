import pluginJson from '../plugin.json';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import { tokenmeterSceneApp } from './sceneApp';

describe('Scene app', () => {
  it('has one page per plugin.json navigation entry', () => {
    const app = tokenmeterSceneApp(DEFAULT_SETTINGS);
    const pageUrls = app.state.pages.map((page) => page.state.url);
    const navPaths = pluginJson.includes
      .filter((include) => include.type === 'page')
      .map((include) => include.path.replace('%PLUGIN_ID%', pluginJson.id));
    expect(pageUrls).toEqual(navPaths);
  });

  it('gives Users a drill-down per user and Health a Dependencies and a Pipeline tab', () => {
    const app = tokenmeterSceneApp(DEFAULT_SETTINGS);
    const users = app.state.pages.find((page) => page.state.title === 'Users');
    expect(users?.state.drilldowns?.map((drilldown) => drilldown.routePath)).toEqual([':userId']);
    const health = app.state.pages.find((page) => page.state.title === 'Health');
    expect(health?.state.tabs?.map((tab) => tab.state.title)).toEqual(['Dependencies', 'Pipeline']);
  });
});

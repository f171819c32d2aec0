import { SceneApp, SceneAppPage } from '@grafana/scenes';
import type { TokenmeterSettings } from '../settings/settings';
import { overviewScene } from '../pages/overview/overviewScene';
import { userDetailScene, usersScene } from '../pages/users/usersScenes';
import { promptsScene } from '../pages/prompts/promptsScene';
import { modelsScene } from '../pages/models/modelsScene';
import { dependenciesScene, pipelineScene } from '../pages/health/healthScenes';
import { pageUrl, ROUTES } from '../routes';

export function overviewPage(settings: TokenmeterSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle: 'LLM usage, cost, users and health of the instrumented services',
    url: pageUrl(ROUTES.overview),
    routePath: ROUTES.overview,
    getScene: () => overviewScene(settings),
  });
}

export function usersPage(settings: TokenmeterSettings): SceneAppPage {
  const usersUrl = pageUrl(ROUTES.users);
  return new SceneAppPage({
    title: 'Users',
    subTitle: 'Who uses the models, what it costs, and the FREE plan quota',
    url: usersUrl,
    routePath: `${ROUTES.users}/*`,
    getScene: () => usersScene(settings, usersUrl),
    drilldowns: [
      {
        routePath: ':userId',
        getPage(routeMatch, parent) {
          const userId = decodeURIComponent(routeMatch.params.userId ?? '');
          return new SceneAppPage({
            title: `User ${userId}`,
            subTitle: 'Cost over time, models and prompts, recent calls and quota use of one user',
            url: `${usersUrl}/${encodeURIComponent(userId)}`,
            routePath: ':userId',
            getParentPage: () => parent,
            getScene: () => userDetailScene(settings, userId, usersUrl),
          });
        },
      },
    ],
  });
}

export function promptsPage(settings: TokenmeterSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Prompts',
    subTitle: 'Which prompts (features) cost the most and use the most tokens',
    url: pageUrl(ROUTES.prompts),
    routePath: ROUTES.prompts,
    getScene: () => promptsScene(settings),
  });
}

export function modelsPage(settings: TokenmeterSettings): SceneAppPage {
  return new SceneAppPage({
    title: 'Models & pricing',
    subTitle: 'Usage, cost, latency and errors per model, and the price list in use',
    url: pageUrl(ROUTES.models),
    routePath: ROUTES.models,
    getScene: () => modelsScene(settings),
  });
}

export function healthPage(settings: TokenmeterSettings): SceneAppPage {
  const healthUrl = pageUrl(ROUTES.health);
  return new SceneAppPage({
    title: 'Health',
    subTitle: 'Dependency checks of the services and the health of the Tokenmeter pipeline',
    url: healthUrl,
    routePath: `${ROUTES.health}/*`,
    getScene: () => dependenciesScene(settings),
    tabs: [
      new SceneAppPage({
        title: 'Dependencies',
        url: healthUrl,
        routePath: '/',
        getScene: () => dependenciesScene(settings),
      }),
      new SceneAppPage({
        title: 'Pipeline',
        url: `${healthUrl}/pipeline`,
        routePath: 'pipeline',
        getScene: () => pipelineScene(settings),
      }),
    ],
  });
}

export function tokenmeterSceneApp(settings: TokenmeterSettings): SceneApp {
  return new SceneApp({
    pages: [overviewPage(settings), usersPage(settings), promptsPage(settings), modelsPage(settings), healthPage(settings)],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

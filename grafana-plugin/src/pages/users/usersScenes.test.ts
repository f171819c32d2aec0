import { ConstantVariable, SceneVariableSet } from '@grafana/scenes';
import { DATASOURCES } from '@tokenmeter/provisioning/queries';
import { DEFAULT_SETTINGS } from '../../settings/defaults';
import { expectPageConventions } from '../../test-support/pageAssertions';
import { catalogIdsOf, overridesByField, panelTitled } from '../../test-support/sceneTree';
import { userDetailScene, usersScene } from './usersScenes';

const USERS_URL = '/a/tokenmeter-llm-app/users';

describe('Users scenes', () => {
  it('lists top users with a link to each user and the FREE plan quota use', () => {
    const scene = usersScene({ ...DEFAULT_SETTINGS, freeDailyQuota: 5 }, USERS_URL);
    expectPageConventions(scene, DATASOURCES);
    expect(catalogIdsOf(scene)).toEqual(['top_users', 'free_quota_today', 'free_quota_overruns']);
    const links = overridesByField(panelTitled(scene, 'Top users (select one to drill down)')).user_id.links;
    expect(links).toEqual([expect.objectContaining({ url: expect.stringContaining(`${USERS_URL}/\${__data.fields.user_id}`) })]);
    const quota = scene.state.$variables as SceneVariableSet;
    expect(quota.getByName('free_quota')?.getValue()).toBe('5');
    const executions = overridesByField(panelTitled(scene, 'FREE plan: quota use today')).executions;
    expect(executions).toMatchObject({ thresholds: { steps: [{}, { value: 5 }, { value: 6 }] } });
  });

  it('drills down into one user: cost over time, models and prompts, recent calls, quota', () => {
    const scene = userDetailScene(DEFAULT_SETTINGS, 'user-0042', USERS_URL);
    expectPageConventions(scene, DATASOURCES);
    expect(catalogIdsOf(scene)).toEqual([
      'user_summary',
      'user_daily_usage',
      'user_request_rate',
      'user_models',
      'free_quota_today',
      'user_recent_activity',
    ]);
    const user = (scene.state.$variables as SceneVariableSet).getByName('user');
    expect(user).toBeInstanceOf(ConstantVariable);
    expect(user?.getValue()).toBe('user-0042');
    expect(overridesByField(panelTitled(scene, 'Daily usage')).cost_usd).toMatchObject({ 'custom.axisPlacement': 'right' });
  });
});

import { DEFAULT_SETTINGS, resolveSettings } from './defaults';

describe('resolveSettings', () => {
  it('uses the defaults of docs/features.md when nothing is saved', () => {
    expect(resolveSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ costCriticalUsd: 100, latencyCriticalMs: 2000, errorRateCritical: 0.05, freeDailyQuota: 3 });
  });

  it('keeps saved values and ignores ones of the wrong type', () => {
    const resolved = resolveSettings({
      costCriticalUsd: 40,
      latencyWarnMs: 'fast' as unknown as number,
      postgresUid: ' my-pg ',
      prometheusUid: '',
    });
    expect(resolved.costCriticalUsd).toBe(40);
    expect(resolved.latencyWarnMs).toBe(DEFAULT_SETTINGS.latencyWarnMs);
    expect(resolved.postgresUid).toBe('my-pg');
    expect(resolved.prometheusUid).toBe(DEFAULT_SETTINGS.prometheusUid);
  });
});

import { DATABASE_SETTINGS, databaseUrlFromEnv, requireDatabaseUrl } from './database';
import { flag, numeric, readSettings, settingDefaults, text } from './setting';
import { SINK_SETTINGS, sinkSettingsFromEnv } from './sink';

describe('settings', () => {
  it('reads the ledger from TOKENMETER_DATABASE_URL first, then DATABASE_URL', () => {
    expect(
      databaseUrlFromEnv({ TOKENMETER_DATABASE_URL: 'postgres://a', DATABASE_URL: 'postgres://b' }),
    ).toBe('postgres://a');
    expect(databaseUrlFromEnv({ TOKENMETER_DATABASE_URL: ' ', DATABASE_URL: 'postgres://b' })).toBe(
      'postgres://b',
    );
    expect(databaseUrlFromEnv({})).toBeUndefined();
    expect(() => requireDatabaseUrl({})).toThrow(
      /TOKENMETER_DATABASE_URL \(or DATABASE_URL\) is not set/,
    );
    expect(DATABASE_SETTINGS.url.alternatives).toEqual(['DATABASE_URL']);
  });

  it('gives the defaults when nothing is set', () => {
    expect(sinkSettingsFromEnv({})).toEqual(settingDefaults(SINK_SETTINGS));
    expect(sinkSettingsFromEnv({})).toMatchObject({
      port: 4319,
      retentionDays: 400,
      migrate: true,
      ingestToken: undefined,
    });
  });

  it('reads what is set', () => {
    const settings = sinkSettingsFromEnv({
      TOKENMETER_SINK_PORT: '0',
      TOKENMETER_INGEST_TOKEN: 'secret',
      TOKENMETER_RETENTION_DAYS: '0',
      TOKENMETER_SINK_MIGRATE: 'false',
    });
    expect(settings).toMatchObject({
      port: 0,
      ingestToken: 'secret',
      retentionDays: 0,
      migrate: false,
    });
  });

  it('refuses what it cannot read, naming the variable', () => {
    expect(() => sinkSettingsFromEnv({ TOKENMETER_SINK_POOL_SIZE: '0' })).toThrow(
      'TOKENMETER_SINK_POOL_SIZE must be an integer ≥ 1, got "0"',
    );
    expect(() => sinkSettingsFromEnv({ TOKENMETER_SINK_PORT: '43.19' })).toThrow(
      /TOKENMETER_SINK_PORT must be an integer/,
    );
    expect(() => sinkSettingsFromEnv({ TOKENMETER_SINK_MIGRATE: 'no' })).toThrow(
      'TOKENMETER_SINK_MIGRATE must be true or false, got "no"',
    );
    const family = { rate: numeric('RATE', undefined, 'per second', { decimal: true }) };
    expect(readSettings(family, { RATE: '0.5' })).toEqual({ rate: 0.5 });
    expect(() => readSettings(family, { RATE: '-1' })).toThrow(
      'RATE must be a number ≥ 0, got "-1"',
    );
  });

  it('takes blank as unset', () => {
    const family = {
      host: text('HOST', '0.0.0.0', 'listen address'),
      on: flag('ON', true, 'switch'),
    };
    expect(readSettings(family, { HOST: '', ON: '  ' })).toEqual({ host: '0.0.0.0', on: true });
  });
});

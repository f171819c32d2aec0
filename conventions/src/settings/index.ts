export {
  flag,
  list,
  numeric,
  optionalText,
  readSettings,
  settingDefaults,
  text,
  type Environment,
  type Setting,
  type SettingFamily,
  type SettingValues,
} from './setting';
export { DATABASE_SETTINGS, databaseUrlFromEnv, requireDatabaseUrl } from './database';
export { DEFAULT_SINK_PORT, SINK_SETTINGS, sinkSettingsFromEnv, type SinkSettings } from './sink';
export { PRICING_SETTINGS, pricingFileFromEnv } from './pricing';
export { ROLE_SETTINGS, loginRolesFromEnv, type LoginRoleSetting } from './roles';

import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv, locationService } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, Stack } from '@grafana/ui';
import React, { useState, type SyntheticEvent } from 'react';
import { lastValueFrom } from 'rxjs';
import { resolveSettings } from '../settings/defaults';
import type { TokenmeterJsonData, TokenmeterSettings } from '../settings/settings';
import {
  ALERT_THRESHOLDS_NOTICE,
  parseFormValues,
  SETTINGS_FIELDS,
  toFormValues,
  type SettingsFormValues,
} from './settingsForm';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<TokenmeterJsonData>> {}

export async function saveSettings(meta: AppPluginMeta<TokenmeterJsonData>, settings: TokenmeterSettings) {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${meta.id}/settings`,
      method: 'POST',
      data: { enabled: meta.enabled, pinned: meta.pinned, jsonData: settings },
    })
  );
}

/** Configuration page: datasources and thresholds, saved in the plugin's jsonData and read by every page. */
export default function AppConfig({ plugin }: AppConfigProps) {
  const [values, setValues] = useState<SettingsFormValues>(() => toFormValues(resolveSettings(plugin.meta.jsonData)));
  const [errors, setErrors] = useState<Partial<Record<keyof TokenmeterSettings, string>>>({});
  const [saveError, setSaveError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const onSubmit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const result = parseFormValues(values);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      await saveSettings(plugin.meta, result.settings);
      // The pages read jsonData when the app starts: reload so they pick up the new thresholds.
      locationService.reload();
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : 'Saving failed');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={onSubmit} data-testid="tokenmeter-config-form">
      <FieldSet label="Datasources and thresholds">
        <Alert severity="info" title={ALERT_THRESHOLDS_NOTICE.title}>
          {ALERT_THRESHOLDS_NOTICE.body}
        </Alert>
        {SETTINGS_FIELDS.map((field) => (
          <Field
            key={field.key}
            label={field.label}
            description={field.description}
            invalid={Boolean(errors[field.key])}
            error={errors[field.key]}
          >
            <Input
              id={`tokenmeter-${field.key}`}
              aria-label={field.label}
              width={40}
              inputMode={field.kind === 'uid' ? 'text' : 'decimal'}
              value={values[field.key]}
              onChange={(event) => setValues({ ...values, [field.key]: event.currentTarget.value })}
            />
          </Field>
        ))}
        {saveError && (
          <Alert severity="error" title="Settings not saved">
            {saveError}
          </Alert>
        )}
        <Stack>
          <Button type="submit" disabled={saving}>
            Save settings
          </Button>
        </Stack>
      </FieldSet>
    </form>
  );
}

import { useState } from 'react';
import { Button, Divider, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { ChoiceOptions, Connection, CrmSettings } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import type { ApiResource } from '../api/use-api-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { LeadSourceSelect } from './lead-source-select.js';

interface SettingsValues {
  allowLeadCreation: boolean;
  allowContactCreation: boolean;
  /** The choice's value as text (Select works on strings); null when not set. */
  leadSourceCode: string | null;
}

function valuesOf(settings: CrmSettings): SettingsValues {
  return {
    allowLeadCreation: settings.allowLeadCreation,
    allowContactCreation: settings.allowContactCreation,
    leadSourceCode: settings.leadSourceCode === null ? null : String(settings.leadSourceCode),
  };
}

interface CrmSettingsEditorProps {
  readonly connection: Connection;
  readonly settings: CrmSettings;
  readonly choices: ApiResource<ChoiceOptions>;
  readonly readOnly: boolean;
}

export function CrmSettingsEditor({ connection, settings, choices, readOnly }: CrmSettingsEditorProps) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError>();
  const form = useForm<SettingsValues>({ initialValues: valuesOf(settings) });

  const save = async (values: SettingsValues) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.updateCrmSettings(connection.id, {
        allowLeadCreation: values.allowLeadCreation,
        allowContactCreation: values.allowContactCreation,
        leadSourceCode: values.leadSourceCode === null ? null : Number(values.leadSourceCode),
      });
      // What the API stored becomes the new baseline, so "Save" is disabled until the next change.
      form.setInitialValues(valuesOf(saved));
      form.setValues(valuesOf(saved));
      notifications.show({ color: 'green', message: `CRM settings of ${connection.name} saved.` });
    } catch (failure) {
      setError(toApiClientError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={form.onSubmit((values) => void save(values))}>
      <Stack gap="lg">
        {error && <ErrorAlert title="The settings were not saved" error={error} />}
        <Stack gap="md">
          <Title order={4}>What Leadbridge may create</Title>
          <Switch
            label="Allow lead creation"
            description="Create a lead in Dynamics 365 for a captured person who matches no existing record."
            disabled={readOnly}
            {...form.getInputProps('allowLeadCreation', { type: 'checkbox' })}
          />
          <Switch
            label="Allow contact creation"
            description="Create a contact in Dynamics 365 where the duplicate policy asks for one."
            disabled={readOnly}
            {...form.getInputProps('allowContactCreation', { type: 'checkbox' })}
          />
        </Stack>
        <Divider />
        <Stack gap="md">
          <Title order={4}>New leads</Title>
          <LeadSourceSelect
            choices={choices}
            value={form.values.leadSourceCode}
            onChange={(value) => form.setFieldValue('leadSourceCode', value)}
            disabled={readOnly}
          />
        </Stack>
        {readOnly ? (
          <Text size="sm" c="dimmed">
            Only an admin can change these settings.
          </Text>
        ) : (
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => form.reset()} disabled={busy || !form.isDirty()}>
              Discard changes
            </Button>
            <Button type="submit" loading={busy} disabled={!form.isDirty()}>
              Save settings
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

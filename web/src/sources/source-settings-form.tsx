import { useState } from 'react';
import {
  Button,
  Divider,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import type { Source, UpdateSourceRequest } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { type DuplicateHandlingValue, DuplicateHandlingFields } from './duplicate-handling-fields.js';

/** The policy a source shows when it uses the strategy (the server's default policy). */
const DEFAULT_POLICY: DuplicateHandlingValue['policy'] = {
  check: 'leads',
  keys: 'email',
  onDuplicate: 'update_most_recently_updated',
  create: 'lead',
};

interface SettingsValues {
  name: string;
  enabled: boolean;
  syncIntervalMinutes: number | string;
  ownerSystemUserId: string;
  campaignId: string;
  marketingListId: string;
  duplicates: DuplicateHandlingValue;
}

const FIELDS = [
  'name',
  'enabled',
  'syncIntervalMinutes',
  'ownerSystemUserId',
  'campaignId',
  'marketingListId',
];

function valuesOf(source: Source): SettingsValues {
  return {
    name: source.name,
    enabled: source.enabled,
    syncIntervalMinutes: source.syncIntervalMinutes,
    ownerSystemUserId: source.ownerSystemUserId ?? '',
    campaignId: source.campaignId ?? '',
    marketingListId: source.marketingListId ?? '',
    duplicates: {
      mode: source.duplicates.mode,
      policy: source.duplicates.mode === 'policy' ? source.duplicates.policy : DEFAULT_POLICY,
    },
  };
}

/** An empty GUID box clears the setting (`null`), a filled one is sent as typed and checked by the API. */
const guidOrNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

function requestFrom(values: SettingsValues): UpdateSourceRequest {
  return {
    name: values.name.trim(),
    enabled: values.enabled,
    syncIntervalMinutes: Number(values.syncIntervalMinutes),
    ownerSystemUserId: guidOrNull(values.ownerSystemUserId),
    campaignId: guidOrNull(values.campaignId),
    marketingListId: guidOrNull(values.marketingListId),
    duplicates:
      values.duplicates.mode === 'strategy'
        ? { mode: 'strategy' }
        : { mode: 'policy', policy: values.duplicates.policy },
  };
}

interface SourceSettingsFormProps {
  readonly source: Source;
  readonly readOnly: boolean;
  readonly onSaved: (source: Source) => void;
}

/** Name, schedule, owner, campaign and marketing list, and how duplicates are handled. */
export function SourceSettingsForm({ source, readOnly, onSaved }: SourceSettingsFormProps) {
  const api = useSourcesApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError>();
  const form = useForm<SettingsValues>({
    initialValues: valuesOf(source),
    validate: { name: isNotEmpty('Enter a name.') },
  });

  const save = async (values: SettingsValues) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.updateSource(source.id, requestFrom(values));
      form.setInitialValues(valuesOf(saved));
      form.setValues(valuesOf(saved));
      notifications.show({ color: 'green', message: `Settings of ${saved.name} saved.` });
      onSaved(saved);
    } catch (failure) {
      const apiError = toApiClientError(failure);
      if (!applyFieldError(apiError, FIELDS, form.setFieldError)) setError(apiError);
    } finally {
      setBusy(false);
    }
  };

  const guidHint = 'The record’s GUID in Dynamics 365; leave empty for none.';
  return (
    <form onSubmit={form.onSubmit((values) => void save(values))} noValidate>
      <Stack gap="lg" maw={760}>
        {error && <ErrorAlert title="The settings were not saved" error={error} />}
        <Stack gap="md">
          <Title order={4}>Source</Title>
          <TextInput label="Name" required disabled={readOnly} {...form.getInputProps('name')} />
          <Switch
            label="Enabled"
            description="A disabled source refuses new leads (its API keys and form answer 409) and is not synced."
            disabled={readOnly}
            {...form.getInputProps('enabled', { type: 'checkbox' })}
          />
          <NumberInput
            label="Sync schedule (minutes)"
            description="Leads sync at once when captured; a scheduled cycle also runs this often, retrying and bringing CRM changes back."
            min={1}
            max={1440}
            allowDecimal={false}
            disabled={readOnly}
            maw={260}
            {...form.getInputProps('syncIntervalMinutes')}
          />
        </Stack>
        <Divider />
        <Stack gap="md">
          <Title order={4}>In Dynamics 365</Title>
          <TextInput
            label="Owner (CRM user id)"
            description={`The systemuser that owns new records. ${guidHint}`}
            placeholder="00000000-0000-0000-0000-000000000000"
            disabled={readOnly}
            {...form.getInputProps('ownerSystemUserId')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Campaign id"
              description={`New leads are added to this campaign. ${guidHint}`}
              placeholder="00000000-0000-0000-0000-000000000000"
              disabled={readOnly}
              {...form.getInputProps('campaignId')}
            />
            <TextInput
              label="Marketing list id"
              description={`New records join this marketing list. ${guidHint}`}
              placeholder="00000000-0000-0000-0000-000000000000"
              disabled={readOnly}
              {...form.getInputProps('marketingListId')}
            />
          </SimpleGrid>
        </Stack>
        <Divider />
        <DuplicateHandlingFields
          value={form.values.duplicates}
          onChange={(next) => form.setFieldValue('duplicates', next)}
          disabled={readOnly}
        />
        {readOnly ? (
          <Text size="sm" c="dimmed">
            Only admins and lead-gen admins can change sources.
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

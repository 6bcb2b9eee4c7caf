import { useState } from 'react';
import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { sourceKindSchema, type Source } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { SOURCE_KIND_HINTS, SOURCE_KIND_LABELS } from './source-labels.js';

type Kind = Source['kind'];

interface CreateSourceValues {
  name: string;
  kind: Kind;
}

/**
 * A new source with just a name and a kind: the server gives it the default fields, mappings and
 * duplicate policy, which the source's page then lets an admin change.
 */
export function CreateSourceModal({
  onClose,
  onCreated,
}: {
  readonly onClose: () => void;
  readonly onCreated: (source: Source) => void;
}) {
  const sources = useSourcesApi();
  const [error, setError] = useState<ApiClientError>();
  const [busy, setBusy] = useState(false);
  const form = useForm<CreateSourceValues>({
    initialValues: { name: '', kind: 'api' },
    validate: { name: isNotEmpty('Enter a name people will recognise, e.g. “Website contact form”.') },
  });

  const submit = async (values: CreateSourceValues) => {
    setBusy(true);
    setError(undefined);
    try {
      onCreated(await sources.createSource({ name: values.name.trim(), kind: values.kind }));
    } catch (failure) {
      const apiError = toApiClientError(failure);
      if (!applyFieldError(apiError, ['name', 'kind'], form.setFieldError)) setError(apiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Add a lead source" size="md">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          {error && <ErrorAlert title="The source was not added" error={error} />}
          <TextInput
            label="Name"
            placeholder="Website contact form"
            required
            {...form.getInputProps('name')}
          />
          <Select
            label="Kind"
            data={sourceKindSchema.options.map((kind) => ({ value: kind, label: SOURCE_KIND_LABELS[kind] }))}
            allowDeselect={false}
            {...form.getInputProps('kind')}
          />
          <Text size="sm" c="dimmed">
            {SOURCE_KIND_HINTS[form.values.kind]} New sources start with the usual fields (email, names,
            company, phone…), mappings to the lead and contact tables, and a duplicate check on leads by
            email.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add source
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

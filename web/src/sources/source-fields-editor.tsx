import { useState } from 'react';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { Source } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';

type Field = Source['fields'][number];

interface FieldDraft {
  readonly key: number;
  readonly name: string;
  readonly label: string;
  readonly type: Field['type'];
  readonly required: boolean;
  readonly maxLength: number | string;
  readonly options: readonly string[];
}

const TYPE_OPTIONS: { value: Field['type']; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'textarea', label: 'Long text' },
  { value: 'select', label: 'Choice' },
  { value: 'checkbox', label: 'Checkbox' },
  { value: 'number', label: 'Number' },
];

let nextKey = 1;
const draftOf = (field: Field): FieldDraft => ({
  key: nextKey++,
  name: field.name,
  label: field.label,
  type: field.type,
  required: field.required,
  maxLength: field.maxLength ?? '',
  options: field.options ?? [],
});

function fieldOf(draft: FieldDraft): Field {
  const maxLength = draft.maxLength === '' ? undefined : Number(draft.maxLength);
  return {
    name: draft.name.trim(),
    label: draft.label.trim(),
    type: draft.type,
    required: draft.required,
    ...(maxLength !== undefined && { maxLength }),
    ...(draft.type === 'select' && { options: [...draft.options] }),
  };
}

interface SourceFieldsEditorProps {
  readonly source: Source;
  readonly readOnly: boolean;
  readonly onSaved: (source: Source) => void;
}

/**
 * The fields a source accepts: what the hosted form asks for, what CSV headers map to, and what the
 * capture API checks. Saving re-checks the mappings, so removing a mapped field is refused with the
 * column that uses it.
 */
export function SourceFieldsEditor({ source, readOnly, onSaved }: SourceFieldsEditorProps) {
  const api = useSourcesApi();
  const [drafts, setDrafts] = useState<FieldDraft[]>(() => source.fields.map(draftOf));
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError>();

  const change = (key: number, patch: Partial<FieldDraft>) => {
    setDrafts((list) => list.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));
    setDirty(true);
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await api.updateSource(source.id, { fields: drafts.map(fieldOf) });
      setDrafts(saved.fields.map(draftOf));
      setDirty(false);
      notifications.show({ color: 'green', message: `Fields of ${saved.name} saved.` });
      onSaved(saved);
    } catch (failure) {
      setError(toApiClientError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed" maw={760}>
        The hosted form asks for these fields in this order, CSV headers map to them, and the capture API
        checks leads against them (required fields, maximum lengths, email and phone formats).
      </Text>
      {error && <ErrorAlert title="The fields were not saved" error={error} />}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="xs" horizontalSpacing="sm" aria-label="Source fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Label</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Required</Table.Th>
                <Table.Th>Max length</Table.Th>
                <Table.Th>Choices</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Remove</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {drafts.map((draft, index) => (
                <Table.Tr key={draft.key}>
                  <Table.Td>
                    <TextInput
                      aria-label={`Name of field ${index + 1}`}
                      value={draft.name}
                      onChange={(event) => change(draft.key, { name: event.currentTarget.value })}
                      disabled={readOnly}
                      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      aria-label={`Label of field ${index + 1}`}
                      value={draft.label}
                      onChange={(event) => change(draft.key, { label: event.currentTarget.value })}
                      disabled={readOnly}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Type of field ${index + 1}`}
                      data={TYPE_OPTIONS}
                      value={draft.type}
                      onChange={(type) => type && change(draft.key, { type: type as Field['type'] })}
                      allowDeselect={false}
                      disabled={readOnly}
                      w={130}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Checkbox
                      aria-label={`Field ${index + 1} is required`}
                      checked={draft.required}
                      onChange={(event) => change(draft.key, { required: event.currentTarget.checked })}
                      disabled={readOnly}
                    />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={`Maximum length of field ${index + 1}`}
                      value={draft.maxLength}
                      onChange={(maxLength) => change(draft.key, { maxLength })}
                      min={1}
                      max={100_000}
                      allowDecimal={false}
                      disabled={readOnly}
                      w={110}
                    />
                  </Table.Td>
                  <Table.Td>
                    {draft.type === 'select' ? (
                      <TagsInput
                        aria-label={`Choices of field ${index + 1}`}
                        value={[...draft.options]}
                        onChange={(options) => change(draft.key, { options })}
                        placeholder="Type a choice, press Enter"
                        disabled={readOnly}
                        miw={200}
                      />
                    ) : (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {!readOnly && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove field ${draft.name || index + 1}`}
                        onClick={() => {
                          setDrafts((list) => list.filter((item) => item.key !== draft.key));
                          setDirty(true);
                        }}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {!readOnly && (
        <Group justify="space-between">
          <Button
            variant="default"
            leftSection={<IconPlus size={16} />}
            onClick={() => {
              setDrafts((list) => [
                ...list,
                {
                  key: nextKey++,
                  name: '',
                  label: '',
                  type: 'text',
                  required: false,
                  maxLength: '',
                  options: [],
                },
              ]);
              setDirty(true);
            }}
          >
            Add field
          </Button>
          <Group gap="sm">
            <Button
              variant="default"
              disabled={busy || !dirty}
              onClick={() => {
                setDrafts(source.fields.map(draftOf));
                setDirty(false);
                setError(undefined);
              }}
            >
              Discard changes
            </Button>
            <Button loading={busy} disabled={!dirty} onClick={() => void save()}>
              Save fields
            </Button>
          </Group>
        </Group>
      )}
    </Stack>
  );
}

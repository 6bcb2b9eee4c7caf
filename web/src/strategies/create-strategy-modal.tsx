import { useState } from 'react';
import {
  ActionIcon,
  Autocomplete,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowRight, IconPlus, IconTrash } from '@tabler/icons-react';
import type { Strategy } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { useSyncApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { columnLabel } from '../mapping/crm-column-select.js';
import { type CrmColumn, isMappable } from '../mapping/mapping-draft.js';

interface PairDraft {
  readonly key: number;
  readonly sourceField: string;
  readonly crmColumn: string | null;
}

let nextKey = 1;
const emptyPair = (): PairDraft => ({ key: nextKey++, sourceField: '', crmColumn: null });

interface CreateStrategyModalProps {
  /** Field names the sources use, offered as suggestions. */
  readonly sourceFields: readonly string[];
  /** The lead table's columns when a source could load them; otherwise the logical name is typed. */
  readonly leadColumns: readonly CrmColumn[] | undefined;
  readonly onClose: () => void;
  readonly onCreated: (strategy: Strategy) => void;
}

/** Seed 001: a named set of source field → CRM lead column pairs; all must match to update a lead. */
export function CreateStrategyModal({
  sourceFields,
  leadColumns,
  onClose,
  onCreated,
}: CreateStrategyModalProps) {
  const sync = useSyncApi();
  const [name, setName] = useState('');
  const [pairs, setPairs] = useState<PairDraft[]>(() => [emptyPair()]);
  const [showMissing, setShowMissing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError>();

  const change = (key: number, patch: Partial<PairDraft>) =>
    setPairs((list) => list.map((pair) => (pair.key === key ? { ...pair, ...patch } : pair)));
  const complete = name.trim() !== '' && pairs.every((pair) => pair.sourceField.trim() && pair.crmColumn);

  const submit = async () => {
    setShowMissing(true);
    if (!complete) return;
    setBusy(true);
    setError(undefined);
    try {
      onCreated(
        await sync.createStrategy({
          name: name.trim(),
          pairs: pairs.map((pair) => ({
            sourceField: pair.sourceField.trim(),
            crmColumn: pair.crmColumn ?? '',
          })),
        }),
      );
    } catch (failure) {
      setError(toApiClientError(failure));
    } finally {
      setBusy(false);
    }
  };

  const columnData = (leadColumns ?? []).filter(isMappable).map((column) => ({
    value: column.logicalName,
    label: columnLabel(column),
  }));

  return (
    <Modal opened onClose={onClose} title="New matching strategy" size="xl">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          A lead updates an existing CRM lead only when every pair matches (values are compared normalised:
          case, accents, spaces, phone numbers); otherwise a new lead is created. Simple strategies — email
          alone, or phone alone — work best.
        </Text>
        {error && <ErrorAlert title="The strategy was not created" error={error} />}
        <TextInput
          label="Name"
          placeholder="Email and company"
          required
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={showMissing && !name.trim() ? 'Enter a name.' : undefined}
        />
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            Field pairs
          </Text>
          {pairs.map((pair, index) => (
            <Group key={pair.key} gap="xs" wrap="nowrap" align="flex-start">
              <Autocomplete
                aria-label={`Source field of pair ${index + 1}`}
                placeholder="Source field, e.g. email"
                data={[...sourceFields]}
                value={pair.sourceField}
                onChange={(sourceField) => change(pair.key, { sourceField })}
                error={showMissing && !pair.sourceField.trim() ? 'Enter a source field.' : undefined}
                style={{ flex: 1 }}
              />
              <IconArrowRight size={18} style={{ marginTop: 8, flexShrink: 0 }} aria-hidden />
              {leadColumns ? (
                <Select
                  aria-label={`CRM lead column of pair ${index + 1}`}
                  placeholder="CRM lead column"
                  data={columnData}
                  value={pair.crmColumn}
                  onChange={(crmColumn) => change(pair.key, { crmColumn })}
                  searchable
                  nothingFoundMessage="No column matches"
                  error={showMissing && !pair.crmColumn ? 'Choose a column.' : undefined}
                  style={{ flex: 1 }}
                />
              ) : (
                <TextInput
                  aria-label={`CRM lead column of pair ${index + 1}`}
                  placeholder="Logical name, e.g. emailaddress1"
                  value={pair.crmColumn ?? ''}
                  onChange={(event) => change(pair.key, { crmColumn: event.currentTarget.value || null })}
                  error={showMissing && !pair.crmColumn ? 'Enter a column.' : undefined}
                  style={{ flex: 1 }}
                />
              )}
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                aria-label={`Remove pair ${index + 1}`}
                disabled={pairs.length === 1}
                onClick={() => setPairs((list) => list.filter((item) => item.key !== pair.key))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setPairs((list) => [...list, emptyPair()])}
            disabled={pairs.length >= 20}
            w="fit-content"
          >
            Add pair
          </Button>
        </Stack>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} loading={busy}>
            Create strategy
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { useState } from 'react';
import { Button, Group, Paper, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch, IconX } from '@tabler/icons-react';
import type { Source } from '@contracts';
import { OUTCOME_DISPLAY, type Outcome } from './outcome-badge.js';

/** The filters as the URL keeps them: dates are days (`2026-03-12`), the rest as the API takes them. */
export interface SyncLogFilterValues {
  readonly source: string | null;
  readonly outcome: Outcome | null;
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

interface SyncLogFiltersProps {
  readonly values: SyncLogFilterValues;
  readonly sources: readonly Source[];
  /** Only what changed: two quick changes in a row must not undo each other. */
  readonly onChange: (patch: Partial<SyncLogFilterValues>) => void;
}

export function SyncLogFilters({ values, sources, onChange }: SyncLogFiltersProps) {
  // The search box answers as one types, without a request per key.
  const [text, setText] = useState(values.text);
  const applyText = useDebouncedCallback((next: string) => onChange({ text: next }), 350);
  const any = values.source || values.outcome || values.from || values.to || values.text;
  return (
    <Paper withBorder radius="md" p="md" role="search" aria-label="Sync log filters">
      <Group gap="md" align="flex-end">
        <Select
          label="Source"
          placeholder="All sources"
          data={sources.map((source) => ({ value: source.id, label: source.name }))}
          value={values.source}
          onChange={(source) => onChange({ source })}
          clearable
          searchable
          w={220}
        />
        <Select
          label="Outcome"
          placeholder="All outcomes"
          data={(Object.keys(OUTCOME_DISPLAY) as Outcome[]).map((outcome) => ({
            value: outcome,
            label: OUTCOME_DISPLAY[outcome].label,
          }))}
          value={values.outcome}
          onChange={(outcome) => onChange({ outcome: outcome as Outcome | null })}
          clearable
          w={160}
        />
        <TextInput
          label="From"
          type="date"
          value={values.from}
          onChange={(event) => onChange({ from: event.currentTarget.value })}
          w={160}
        />
        <TextInput
          label="To"
          type="date"
          value={values.to}
          onChange={(event) => onChange({ to: event.currentTarget.value })}
          w={160}
        />
        <TextInput
          label="Search"
          placeholder="Email, reason, record id…"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            applyText(event.currentTarget.value);
          }}
          style={{ flex: 1 }}
          miw={200}
        />
        {any && (
          <Button
            variant="subtle"
            leftSection={<IconX size={14} />}
            onClick={() => {
              setText('');
              applyText.cancel();
              onChange({ source: null, outcome: null, from: '', to: '', text: '' });
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Paper>
  );
}

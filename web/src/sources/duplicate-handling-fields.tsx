import { Radio, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { Source } from '@contracts';
import { CHECK_LABELS, CREATE_LABELS, KEY_LABELS, ON_DUPLICATE_LABELS, optionsOf } from './source-labels.js';

export type DuplicatePolicy = Extract<Source['duplicates'], { mode: 'policy' }>['policy'];

export interface DuplicateHandlingValue {
  readonly mode: Source['duplicates']['mode'];
  /** Kept while the strategy is chosen, so switching back restores what was there. */
  readonly policy: DuplicatePolicy;
}

interface DuplicateHandlingFieldsProps {
  readonly value: DuplicateHandlingValue;
  readonly onChange: (value: DuplicateHandlingValue) => void;
  readonly disabled: boolean;
}

/** Seed 003's duplicate policy, or seed 001's organisation-wide matching strategy. */
export function DuplicateHandlingFields({ value, onChange, disabled }: DuplicateHandlingFieldsProps) {
  const setPolicy = <K extends keyof DuplicatePolicy>(key: K, next: DuplicatePolicy[K] | null) => {
    if (next !== null) onChange({ ...value, policy: { ...value.policy, [key]: next } });
  };
  return (
    <Stack gap="md">
      <Radio.Group
        label="Duplicate handling"
        value={value.mode}
        onChange={(mode) => onChange({ ...value, mode: mode === 'strategy' ? 'strategy' : 'policy' })}
      >
        <Stack gap="xs" mt={6}>
          <Radio value="policy" label="Use this source’s duplicate policy" disabled={disabled} />
          <Radio
            value="strategy"
            label="Use the organisation’s matching strategy"
            description="The active strategy on the Matching strategies page: all its field pairs must match to update a lead; otherwise a new lead is created."
            disabled={disabled}
          />
        </Stack>
      </Radio.Group>
      {value.mode === 'policy' && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <Select
            label="Check"
            data={optionsOf(CHECK_LABELS)}
            value={value.policy.check}
            onChange={(next) => setPolicy('check', next as DuplicatePolicy['check'] | null)}
            allowDeselect={false}
            disabled={disabled}
          />
          <Select
            label="Match"
            data={optionsOf(KEY_LABELS)}
            value={value.policy.keys}
            onChange={(next) => setPolicy('keys', next as DuplicatePolicy['keys'] | null)}
            allowDeselect={false}
            disabled={disabled}
          />
          <Select
            label="On duplicate"
            description="Which record to update when several match."
            data={optionsOf(ON_DUPLICATE_LABELS)}
            value={value.policy.onDuplicate}
            onChange={(next) => setPolicy('onDuplicate', next as DuplicatePolicy['onDuplicate'] | null)}
            allowDeselect={false}
            disabled={disabled}
          />
          <Select
            label="Create"
            description="What to create when no duplicate was updated."
            data={optionsOf(CREATE_LABELS)}
            value={value.policy.create}
            onChange={(next) => setPolicy('create', next as DuplicatePolicy['create'] | null)}
            allowDeselect={false}
            disabled={disabled}
          />
        </SimpleGrid>
      )}
      {value.mode === 'policy' && (
        <Text size="xs" c="dimmed">
          A record is only created when no duplicate was found and updated.
        </Text>
      )}
    </Stack>
  );
}

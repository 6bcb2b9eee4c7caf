import type { ReactNode } from 'react';
import { Badge, Group, Select, Stack, Text } from '@mantine/core';
import { type CrmColumn, isMappable, isRequired } from './mapping-draft.js';

export const columnLabel = (column: CrmColumn): string =>
  column.displayName ? `${column.displayName} (${column.logicalName})` : column.logicalName;

interface CrmColumnSelectProps {
  readonly columns: readonly CrmColumn[];
  readonly value: string | null;
  readonly onChange: (logicalName: string | null) => void;
  /** Columns other rows already map: left out, since one column takes one rule. */
  readonly taken: ReadonlySet<string>;
  readonly error?: ReactNode;
  readonly label: string;
  readonly disabled?: boolean;
}

/**
 * A CRM column from the table's live metadata, searchable by display or logical name, each option
 * with its type, whether Dynamics 365 requires it, and its maximum length.
 */
export function CrmColumnSelect({
  columns,
  value,
  onChange,
  taken,
  error,
  label,
  disabled,
}: CrmColumnSelectProps) {
  const byName = new Map(columns.map((column) => [column.logicalName, column]));
  const data = columns
    .filter(
      (column) => isMappable(column) && (column.logicalName === value || !taken.has(column.logicalName)),
    )
    .map((column) => ({ value: column.logicalName, label: columnLabel(column) }));
  // A saved rule for a column the CRM no longer has stays visible, so its problem can be read and fixed.
  if (value !== null && !byName.has(value)) data.unshift({ value, label: `${value} (not in this table)` });
  return (
    <Select
      aria-label={label}
      placeholder="Search CRM columns"
      data={data}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage="No column matches"
      maxDropdownHeight={320}
      comboboxProps={{ width: 420, position: 'bottom-start' }}
      allowDeselect={false}
      disabled={disabled ?? false}
      error={error}
      miw={240}
      renderOption={({ option }) => {
        const column = byName.get(option.value);
        if (!column)
          return (
            <Text size="sm" c="red">
              {option.label}
            </Text>
          );
        return (
          <Group justify="space-between" wrap="nowrap" w="100%" gap="sm">
            <Stack gap={0} miw={0}>
              <Text size="sm" truncate="end">
                {column.displayName ?? column.logicalName}
              </Text>
              <Text size="xs" c="dimmed" ff="monospace">
                {column.logicalName}
              </Text>
            </Stack>
            <Group gap={4} wrap="nowrap">
              {isRequired(column) && (
                <Badge size="xs" color="red" variant="light">
                  Required
                </Badge>
              )}
              <Badge size="xs" color="gray" variant="outline">
                {column.type}
              </Badge>
              {column.maxLength !== undefined && (
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  max {column.maxLength}
                </Text>
              )}
            </Group>
          </Group>
        );
      }}
    />
  );
}

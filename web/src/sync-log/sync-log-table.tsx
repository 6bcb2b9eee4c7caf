import { ActionIcon, Anchor, Checkbox, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { IconExternalLink, IconListDetails } from '@tabler/icons-react';
import type { SyncLogEntryView } from '@contracts';
import { formatDateTime } from '../format/date-time.js';
import { OutcomeBadge } from './outcome-badge.js';

interface SyncLogTableProps {
  readonly entries: readonly SyncLogEntryView[];
  readonly sourceName: (id: string) => string;
  /** Absent for roles that may not replay. */
  readonly selection?: {
    readonly selected: ReadonlySet<string>;
    readonly onToggle: (entryIds: readonly string[], selected: boolean) => void;
  };
  readonly onOpen: (entry: SyncLogEntryView) => void;
}

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** One row per lead per attempt, newest first. */
export function SyncLogTable({ entries, sourceName, selection, onOpen }: SyncLogTableProps) {
  const allSelected =
    selection !== undefined && entries.length > 0 && entries.every((e) => selection.selected.has(e.id));
  const someSelected = selection !== undefined && entries.some((e) => selection.selected.has(e.id));
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={980}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Sync log">
          <Table.Thead>
            <Table.Tr>
              {selection && (
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Select all shown entries"
                    checked={allSelected}
                    indeterminate={someSelected && !allSelected}
                    onChange={(event) =>
                      selection.onToggle(
                        entries.map((e) => e.id),
                        event.currentTarget.checked,
                      )
                    }
                  />
                </Table.Th>
              )}
              <Table.Th style={NO_WRAP}>Time</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th w={110}>Outcome</Table.Th>
              <Table.Th>Table</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th w={48} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id} aria-label={`Sync log entry ${entry.id}`}>
                {selection && (
                  <Table.Td>
                    <Checkbox
                      aria-label={`Select entry ${entry.id}`}
                      checked={selection.selected.has(entry.id)}
                      onChange={(event) => selection.onToggle([entry.id], event.currentTarget.checked)}
                    />
                  </Table.Td>
                )}
                <Table.Td style={NO_WRAP}>
                  <Text size="sm">{formatDateTime(entry.at)}</Text>
                  {entry.attempt > 1 && (
                    <Text size="xs" c="dimmed">
                      Attempt {entry.attempt}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{sourceName(entry.sourceId)}</Text>
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <OutcomeBadge outcome={entry.outcome} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.table ?? '—'}</Text>
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  {entry.recordUrl && entry.recordId ? (
                    <Anchor href={entry.recordUrl} target="_blank" rel="noreferrer" size="sm">
                      <Group gap={4} wrap="nowrap">
                        {entry.recordId.slice(0, 8)}… <IconExternalLink size={14} />
                      </Group>
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2} maw={460} title={entry.reason}>
                    {entry.reason}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Tooltip label="Details" withArrow>
                    <ActionIcon
                      variant="subtle"
                      aria-label={`Details of entry ${entry.id}`}
                      onClick={() => onOpen(entry)}
                    >
                      <IconListDetails size={18} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

import { Badge, Button, Code, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import type { Strategy } from '@contracts';
import { formatDate } from '../format/date-time.js';

interface StrategiesTableProps {
  readonly strategies: readonly Strategy[];
  /** Absent for roles that may only look. */
  readonly actions?: {
    readonly busyId: string | undefined;
    readonly onActivate: (strategy: Strategy) => void;
    readonly onDelete: (strategy: Strategy) => void;
  };
}

export function StrategiesTable({ strategies, actions }: StrategiesTableProps) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Matching strategies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Strategy</Table.Th>
              <Table.Th>Field pairs (all must match)</Table.Th>
              <Table.Th>Status</Table.Th>
              {actions && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {strategies.map((strategy) => (
              <Table.Tr key={strategy.id} aria-label={`Strategy ${strategy.name}`}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {strategy.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Added {formatDate(strategy.createdAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    {strategy.pairs.map((pair) => (
                      <Group key={`${pair.sourceField}:${pair.crmColumn}`} gap={4} wrap="nowrap">
                        <Code>{pair.sourceField}</Code>
                        <IconArrowRight size={14} aria-label="matches" />
                        <Code>{pair.crmColumn}</Code>
                      </Group>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {strategy.active ? (
                    <Badge color="green" variant="light">
                      Active
                    </Badge>
                  ) : (
                    <Badge color="gray" variant="light">
                      Inactive
                    </Badge>
                  )}
                </Table.Td>
                {actions && (
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {!strategy.active && (
                        <Button
                          size="xs"
                          variant="light"
                          loading={actions.busyId === strategy.id}
                          onClick={() => actions.onActivate(strategy)}
                        >
                          Activate
                        </Button>
                      )}
                      <Tooltip
                        label="The active strategy cannot be deleted: activate another one first."
                        disabled={!strategy.active}
                        withArrow
                        multiline
                        w={240}
                      >
                        {/* A disabled button gets no pointer events; the wrapper keeps the explanation reachable. */}
                        <span>
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            disabled={strategy.active}
                            onClick={() => actions.onDelete(strategy)}
                          >
                            Delete
                          </Button>
                        </span>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

import { Badge, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { Connection } from '@contracts';
import { type ConnectionAction, ConnectionRowActions } from './connection-row-actions.js';
import { ConnectionStatus } from './connection-status.js';

interface ConnectionsTableProps {
  readonly connections: readonly Connection[];
  /** Absent for roles that may only look. */
  readonly onAction?: (action: ConnectionAction, connection: Connection) => void;
}

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const AUTH_LABELS: Readonly<Record<Connection['authKind'], string>> = {
  client_secret: 'Client secret',
  certificate: 'Certificate',
};

export function ConnectionsTable({ connections, onAction }: ConnectionsTableProps) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Connections">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Connection</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th style={NO_WRAP}>Sign-in</Table.Th>
              <Table.Th ta="right" style={NO_WRAP}>
                Requests today
              </Table.Th>
              {onAction && (
                <Table.Th ta="right">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connections.map((connection) => (
              <Table.Tr key={connection.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Group gap="xs" wrap="nowrap">
                      <Text fw={600} size="sm">
                        {connection.name}
                      </Text>
                      {connection.isPrimary && (
                        <Badge size="xs" variant="outline" style={{ flexShrink: 0 }}>
                          Primary
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {connection.environmentUrl}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <ConnectionStatus connection={connection} />
                </Table.Td>
                <Table.Td style={NO_WRAP}>
                  <Text size="sm">{AUTH_LABELS[connection.authKind]}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{connection.requestsToday.toLocaleString()}</Text>
                </Table.Td>
                {onAction && (
                  <Table.Td>
                    <ConnectionRowActions connection={connection} onAction={onAction} />
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

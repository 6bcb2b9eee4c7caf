import { Anchor, Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import type { Source } from '@contracts';
import { LeadCounts } from './lead-counts.js';
import { SOURCE_KIND_LABELS } from './source-labels.js';

/** Every lead source with its kind, lead counts and (for hosted forms) the public form's address. */
export function SourcesTable({ sources }: { readonly sources: readonly Source[] }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label="Sources">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Source</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Leads</Table.Th>
              <Table.Th>Hosted form</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sources.map((source) => (
              <Table.Tr key={source.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor component={Link} to={`/sources/${source.id}`} fw={600} size="sm">
                        {source.name}
                      </Anchor>
                      {!source.enabled && (
                        <Badge size="xs" color="gray" variant="outline">
                          Disabled
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      Syncs every {source.syncIntervalMinutes} min ·{' '}
                      {source.duplicates.mode === 'strategy' ? 'matching strategy' : 'duplicate policy'}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{SOURCE_KIND_LABELS[source.kind]}</Badge>
                </Table.Td>
                <Table.Td>
                  <LeadCounts counts={source.leadCounts} />
                </Table.Td>
                <Table.Td>
                  {source.formUrl ? (
                    <Anchor href={source.formUrl} target="_blank" rel="noreferrer" size="sm">
                      <Group gap={4} wrap="nowrap">
                        Open form <IconExternalLink size={14} />
                      </Group>
                    </Anchor>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

import { Badge, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { DryRunResult } from '@contracts';

type Action = DryRunResult['leads'][number]['action'];

const ACTION_DISPLAY: Readonly<Record<Action, { label: string; color: string }>> = {
  create: { label: 'Would create', color: 'green' },
  update: { label: 'Would update', color: 'blue' },
  skip: { label: 'Would skip', color: 'gray' },
  fail: { label: 'Would fail', color: 'red' },
};

interface DryRunResultViewProps {
  readonly result: DryRunResult;
  /** The label of each lead in request order, e.g. its spreadsheet row. */
  readonly labelOf: (index: number, ref: string) => string;
}

/** What a sync would do with each lead and why; nothing was written to the CRM. */
export function DryRunResultView({ result, labelOf }: DryRunResultViewProps) {
  return (
    <Stack gap="sm" role="region" aria-label="Dry run result">
      <Group gap="xs">
        {(Object.keys(ACTION_DISPLAY) as Action[]).map((action) => (
          <Badge key={action} color={ACTION_DISPLAY[action].color} variant="light">
            {ACTION_DISPLAY[action].label}: {(result.summary[action] ?? 0).toLocaleString()}
          </Badge>
        ))}
        <Text size="xs" c="dimmed">
          {result.lookups.toLocaleString()} look-up{result.lookups === 1 ? '' : 's'} in Dynamics 365, nothing
          written.
        </Text>
      </Group>
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={720} maxHeight={420}>
          <Table verticalSpacing="xs" horizontalSpacing="md" stickyHeader aria-label="Dry run">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={110}>Lead</Table.Th>
                <Table.Th w={140}>Action</Table.Th>
                <Table.Th w={90}>Table</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.leads.map((lead, index) => (
                <Table.Tr key={`${lead.ref}:${index}`}>
                  <Table.Td>
                    <Text size="sm">{labelOf(index, lead.ref)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={ACTION_DISPLAY[lead.action].color} variant="light">
                      {ACTION_DISPLAY[lead.action].label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{lead.table ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{lead.reason}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}

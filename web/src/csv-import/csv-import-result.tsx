import { Alert, Badge, Group, Paper, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck } from '@tabler/icons-react';
import type { CsvImportResult } from '@contracts';

function Count({
  label,
  value,
  color,
}: {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={700} size="xl" c={color}>
        {value.toLocaleString()}
      </Text>
    </Paper>
  );
}

/** What an import did: counts, then each refused row with its spreadsheet row number and why. */
export function CsvImportResultView({ result }: { readonly result: CsvImportResult }) {
  const hiddenErrors = result.failed - result.errors.length;
  return (
    <Stack gap="md" aria-label="Import result" role="region">
      <Alert
        color={result.failed > 0 ? 'yellow' : 'green'}
        variant="light"
        icon={result.failed > 0 ? <IconAlertTriangle size={18} /> : <IconCircleCheck size={18} />}
        title={
          result.failed > 0
            ? `Imported with ${result.failed.toLocaleString()} failed row${result.failed === 1 ? '' : 's'}`
            : 'Import complete'
        }
      >
        Accepted leads are queued and sync to Dynamics 365 on their own; follow them on the Sync log.
      </Alert>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        <Count label="Rows" value={result.rows} color="dark" />
        <Count label="Accepted" value={result.accepted} color="green" />
        <Count label="Duplicates" value={result.duplicates} color="gray" />
        <Count label="Failed" value={result.failed} color={result.failed > 0 ? 'red' : 'dark'} />
      </SimpleGrid>
      {result.errors.length > 0 && (
        <Paper withBorder radius="md">
          <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="Row errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>Row</Table.Th>
                <Table.Th>What is wrong</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.errors.map((error) => (
                <Table.Tr key={error.row}>
                  <Table.Td>
                    <Badge variant="light" color="red">
                      Row {error.row}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {error.errors.map((message) => (
                        <Text key={message} size="sm">
                          {message}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      {hiddenErrors > 0 && (
        <Group>
          <Text size="xs" c="dimmed">
            {hiddenErrors.toLocaleString()} more failed rows are not listed; fix the ones above and import the
            file again (accepted rows are recognised as duplicates).
          </Text>
        </Group>
      )}
    </Stack>
  );
}

import { Code, Paper, Select, Table, Text } from '@mantine/core';
import type { Source } from '@contracts';
import type { CsvSample } from './csv-text.js';

interface CsvHeaderMappingProps {
  readonly sample: CsvSample;
  readonly fields: Source['fields'];
  readonly mapping: Readonly<Record<string, string | null>>;
  readonly onChange: (header: string, field: string | null) => void;
}

/** Each header of the file → one of the source's fields, or not imported; with the first row as example. */
export function CsvHeaderMapping({ sample, fields, mapping, onChange }: CsvHeaderMappingProps) {
  const data = fields.map((field) => ({ value: field.name, label: `${field.label} (${field.name})` }));
  const first = sample.rows[0];
  return (
    <Paper withBorder radius="md">
      <Table verticalSpacing="xs" horizontalSpacing="md" aria-label="Header mapping">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Header in the file</Table.Th>
            <Table.Th>First row</Table.Th>
            <Table.Th>Source field</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sample.headers.map((header, index) => (
            <Table.Tr key={`${index}:${header}`}>
              <Table.Td>
                <Code>{header || `(column ${index + 1} has no header)`}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm" c="dimmed" truncate="end" maw={260}>
                  {first?.[index] ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Select
                  aria-label={`Field for ${header}`}
                  data={data}
                  value={mapping[header] ?? null}
                  onChange={(field) => onChange(header, field)}
                  placeholder="Not imported"
                  clearable
                  searchable
                  w={280}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

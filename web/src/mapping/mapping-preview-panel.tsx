import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  JsonInput,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconEye } from '@tabler/icons-react';
import type { MappingPreview, MappingPreviewRequest } from '@contracts';
import type { ApiClientError } from '../api/api-client-error.js';
import { ErrorAlert } from '../components/error-alert.js';
import type { CrmColumn } from './mapping-draft.js';

type Sample = MappingPreviewRequest['samples'][number];

/** The sample as typed, or why it is not a lead (one JSON object of text, number, yes/no or null values). */
export function parseSample(text: string): { sample: Sample } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    return { problem: 'This is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'Write one lead as a JSON object, e.g. {"email": "ana@example.com"}.' };
  for (const [key, item] of Object.entries(value))
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item))
      return { problem: `"${key}" must be text, a number, true/false or null.` };
  return { sample: value as Sample };
}

interface MappingPreviewPanelProps {
  readonly sampleText: string;
  readonly onSampleText: (text: string) => void;
  readonly onPreview: () => void;
  readonly busy: boolean;
  readonly preview: MappingPreview | undefined;
  readonly error: ApiClientError | undefined;
  readonly columns: readonly CrmColumn[];
}

/** A sample lead, and what the current (unsaved) mapping makes of it in the CRM. */
export function MappingPreviewPanel(props: MappingPreviewPanelProps) {
  const { sampleText, onSampleText, onPreview, busy, preview, error, columns } = props;
  const [touched, setTouched] = useState(false);
  const parsed = parseSample(sampleText);
  const sampleProblem = 'problem' in parsed ? parsed.problem : undefined;
  const names = new Map(columns.map((column) => [column.logicalName, column.displayName]));
  const result = preview?.samples[0];

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={4}>Preview</Title>
          <Button
            leftSection={<IconEye size={16} />}
            onClick={() => {
              setTouched(true);
              onPreview();
            }}
            loading={busy}
            disabled={sampleProblem !== undefined}
          >
            Preview
          </Button>
        </Group>
        <JsonInput
          label="Sample lead"
          description="As the source would send it; edit it to try other values."
          value={sampleText}
          onChange={onSampleText}
          autosize
          minRows={6}
          maxRows={16}
          formatOnBlur
          error={touched || sampleText.trim() !== '' ? sampleProblem : undefined}
        />
        {error && <ErrorAlert title="The preview failed" error={error} />}
        {preview && (
          <Stack gap="sm" role="region" aria-label="Preview result">
            {preview.problems.length > 0 ? (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertTriangle size={18} />}
                title="The mapping has problems"
              >
                <Stack gap={2}>
                  {preview.problems.map((problem) => (
                    <Text key={`${problem.column}:${problem.message}`} size="sm">
                      {problem.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            ) : (
              <Alert
                color="green"
                variant="light"
                icon={<IconCircleCheck size={18} />}
                title="The mapping fits the CRM table"
              >
                Columns, types, lengths and choices match the live metadata.
              </Alert>
            )}
            {result?.errors && result.errors.length > 0 && (
              <Alert color="orange" variant="light" title="This sample would fail">
                <Stack gap={2}>
                  {result.errors.map((sampleError) => (
                    <Text key={`${sampleError.column}:${sampleError.message}`} size="sm">
                      {sampleError.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            {result?.record && (
              <Table verticalSpacing={4} aria-label="Mapped record" withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>CRM column</Table.Th>
                    <Table.Th>Value sent</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {Object.entries(result.record).map(([column, value]) => (
                    <Table.Tr key={column}>
                      <Table.Td>
                        <Text size="sm">{names.get(column) ?? column}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {column}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs">
                          <Code>{JSON.stringify(value)}</Code>
                          {typeof value !== 'string' && (
                            <Badge size="xs" variant="outline" color="gray">
                              {typeof value}
                            </Badge>
                          )}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

import { useMemo, useState } from 'react';
import { Alert, Button, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconPlus } from '@tabler/icons-react';
import type { MappingPreview, Source } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import type { CrmTableName } from '../api/sources-api.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import {
  type CrmColumn,
  draftsOf,
  emptyRow,
  type MappingProblem,
  type MappingRowDraft,
  mappingOf,
  problemsByColumn,
  rowProblem,
  sampleLead,
} from './mapping-draft.js';
import { MappingPreviewPanel, parseSample } from './mapping-preview-panel.js';
import { MappingRow } from './mapping-row.js';

interface MappingEditorProps {
  readonly source: Source;
  readonly table: CrmTableName;
  readonly columns: readonly CrmColumn[];
  readonly onSaved: (source: Source) => void;
}

/**
 * One table's mapping of one source, edited as rows and checked by the server against the live CRM
 * metadata: Preview shows the problems and the record a sample would become; Save stores it (the
 * server refuses a mapping with problems, and they are shown on the rows they concern).
 */
export function MappingEditor({ source, table, columns, onSaved }: MappingEditorProps) {
  const api = useSourcesApi();
  const [rows, setRows] = useState<MappingRowDraft[]>(() => draftsOf(source.mappings[table]));
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<readonly MappingProblem[]>([]);
  const [showIncomplete, setShowIncomplete] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ApiClientError>();
  const [sampleText, setSampleText] = useState(() => JSON.stringify(sampleLead(source.fields), null, 2));
  const [preview, setPreview] = useState<MappingPreview>();
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<ApiClientError>();

  const byName = useMemo(() => new Map(columns.map((column) => [column.logicalName, column])), [columns]);
  const placed = problemsByColumn(problems, rows);
  const mapping = () => mappingOf(table, rows, columns);

  // Any edit makes the last preview describe another mapping, so it goes.
  const edit = (update: (list: MappingRowDraft[]) => MappingRowDraft[]) => {
    setRows(update);
    setDirty(true);
    setPreview(undefined);
  };
  const change = (key: number, patch: Partial<MappingRowDraft>) =>
    edit((list) => list.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const addRow = (column: string | null = null) => edit((list) => [...list, emptyRow(column)]);

  const runPreview = async () => {
    const parsed = parseSample(sampleText);
    if ('problem' in parsed) return;
    setShowIncomplete(true);
    setPreviewing(true);
    setPreviewError(undefined);
    try {
      const result = await api.previewMapping(source.id, { mapping: mapping(), samples: [parsed.sample] });
      setPreview(result);
      setProblems(result.problems);
    } catch (failure) {
      setPreviewError(toApiClientError(failure));
    } finally {
      setPreviewing(false);
    }
  };

  const save = async () => {
    setShowIncomplete(true);
    if (rows.some((row) => rowProblem(row) !== undefined)) return;
    setSaving(true);
    setSaveError(undefined);
    const next = mapping();
    try {
      const saved = await api.updateSource(source.id, { mappings: { ...source.mappings, [table]: next } });
      setProblems([]);
      setDirty(false);
      notifications.show({ color: 'green', message: `The ${table} mapping of ${saved.name} is saved.` });
      onSaved(saved);
    } catch (failure) {
      const error = toApiClientError(failure);
      setSaveError(error);
      // The refusal is one sentence; the preview names the column of each problem, to mark its row.
      if (error.code === 'mapping_invalid')
        await api.previewMapping(source.id, { mapping: next, samples: [] }).then(
          (result) => setProblems(result.problems),
          () => undefined,
        );
    } finally {
      setSaving(false);
    }
  };

  const taken = new Set(rows.map((row) => row.column).filter((column): column is string => column !== null));
  const incompleteCount = showIncomplete ? rows.filter((row) => rowProblem(row) !== undefined).length : 0;

  return (
    <Stack gap="lg">
      {saveError && (
        <ErrorAlert
          title={
            saveError.code === 'mapping_invalid'
              ? 'The mapping was not saved: it does not fit the CRM table'
              : 'The mapping was not saved'
          }
          error={saveError}
        />
      )}
      {placed.unplaced.length > 0 && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Columns to add">
          <Stack gap={6}>
            {placed.unplaced.map((problem) => (
              <Group
                key={`${problem.column}:${problem.message}`}
                gap="sm"
                justify="space-between"
                wrap="nowrap"
              >
                <Text size="sm">{problem.message}</Text>
                {problem.column && byName.has(problem.column) && !taken.has(problem.column) && (
                  <Button
                    size="compact-xs"
                    variant="white"
                    color="red"
                    onClick={() => addRow(problem.column)}
                  >
                    Add {problem.column}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1040}>
          <Table verticalSpacing="sm" horizontalSpacing="sm" aria-label="Column mappings">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>CRM column</Table.Th>
                <Table.Th px={0}>
                  <VisuallyHidden>from</VisuallyHidden>
                </Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Transforms</Table.Th>
                <Table.Th>Choice / type</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Remove</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      No columns are mapped for the {table} table. Add the columns this source should fill.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((row, index) => (
                <MappingRow
                  key={row.key}
                  row={row}
                  index={index}
                  columns={columns}
                  column={row.column === null ? undefined : byName.get(row.column)}
                  fields={source.fields}
                  taken={taken}
                  problems={row.column === null ? [] : (placed.byColumn.get(row.column) ?? [])}
                  showIncomplete={showIncomplete}
                  readOnly={false}
                  onChange={(patch) => change(row.key, patch)}
                  onRemove={() => edit((list) => list.filter((item) => item.key !== row.key))}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Group justify="space-between">
        <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => addRow()}>
          Add column
        </Button>
        <Group gap="sm">
          {incompleteCount > 0 && (
            <Text size="sm" c="red">
              {incompleteCount} row{incompleteCount === 1 ? ' is' : 's are'} incomplete
            </Text>
          )}
          <Button
            variant="default"
            disabled={!dirty || saving}
            onClick={() => {
              setRows(draftsOf(source.mappings[table]));
              setDirty(false);
              setPreview(undefined);
              setProblems([]);
              setShowIncomplete(false);
              setSaveError(undefined);
            }}
          >
            Discard changes
          </Button>
          <Button onClick={() => void save()} loading={saving} disabled={!dirty}>
            Save mapping
          </Button>
        </Group>
      </Group>
      <MappingPreviewPanel
        sampleText={sampleText}
        onSampleText={setSampleText}
        onPreview={() => void runPreview()}
        busy={previewing}
        preview={preview}
        error={previewError}
        columns={columns}
      />
    </Stack>
  );
}

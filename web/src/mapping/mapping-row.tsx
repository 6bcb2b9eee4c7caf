import { ActionIcon, Group, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArrowLeft, IconTrash } from '@tabler/icons-react';
import type { Source } from '@contracts';
import { ChoiceOptions } from './choice-options.js';
import { CrmColumnSelect } from './crm-column-select.js';
import { type CrmColumn, isChoice, type MappingRowDraft, rowProblem } from './mapping-draft.js';
import { TransformsEditor } from './transforms-editor.js';

interface MappingRowProps {
  readonly row: MappingRowDraft;
  readonly index: number;
  readonly columns: readonly CrmColumn[];
  readonly column: CrmColumn | undefined;
  readonly fields: Source['fields'];
  readonly taken: ReadonlySet<string>;
  /** The server's problems with this row's column (preview or a refused save). */
  readonly problems: readonly string[];
  /** Whether to show what the browser itself finds missing (after a save or preview was tried). */
  readonly showIncomplete: boolean;
  readonly readOnly: boolean;
  readonly onChange: (patch: Partial<MappingRowDraft>) => void;
  readonly onRemove: () => void;
}

/** One rule: a CRM column ← a source field or a constant, its transforms and, for choices, label or value. */
export function MappingRow(props: MappingRowProps) {
  const { row, index, columns, column, fields, taken, problems, showIncomplete, readOnly, onChange } = props;
  const name = row.column ?? `row ${index + 1}`;
  const incomplete = showIncomplete ? rowProblem(row) : undefined;
  const messages = [...(incomplete ? [incomplete] : []), ...problems];
  const fieldData = fields.map((field) => ({ value: field.name, label: `${field.label} (${field.name})` }));
  if (row.field !== null && !fields.some((field) => field.name === row.field))
    fieldData.unshift({ value: row.field, label: `${row.field} (not a field of this source)` });
  const choiceOptions = isChoice(column) ? (column?.options ?? []) : [];

  return (
    <Table.Tr aria-label={`Mapping of ${name}`} {...(messages.length > 0 ? { bg: 'red.0' } : {})}>
      <Table.Td>
        <CrmColumnSelect
          label={`CRM column of row ${index + 1}`}
          columns={columns}
          value={row.column}
          onChange={(next) => onChange({ column: next })}
          taken={taken}
          disabled={readOnly}
          error={
            messages.length > 0 ? (
              <Stack gap={2} component="span">
                {messages.map((message) => (
                  <span key={message}>{message}</span>
                ))}
              </Stack>
            ) : undefined
          }
        />
      </Table.Td>
      <Table.Td px={0} w={24}>
        <IconArrowLeft size={16} color="var(--mantine-color-dimmed)" aria-hidden />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <SegmentedControl
            size="xs"
            aria-label={`Value kind of ${name}`}
            data={[
              { value: 'field', label: 'Field' },
              { value: 'constant', label: 'Constant' },
            ]}
            value={row.valueKind}
            onChange={(kind) => onChange({ valueKind: kind === 'constant' ? 'constant' : 'field' })}
            disabled={readOnly}
          />
          {row.valueKind === 'field' ? (
            <Select
              aria-label={`Source field of ${name}`}
              placeholder="Source field"
              data={fieldData}
              value={row.field}
              onChange={(field) => onChange({ field })}
              searchable
              allowDeselect={false}
              disabled={readOnly}
              w={220}
            />
          ) : choiceOptions.length > 0 ? (
            <Select
              aria-label={`Constant of ${name}`}
              placeholder="Choose an option"
              data={choiceOptions.map((option) => ({
                value: row.choiceBy === 'value' ? String(option.value) : option.label,
                label: `${option.label} (${option.value})`,
              }))}
              value={row.constant || null}
              onChange={(constant) => onChange({ constant: constant ?? '' })}
              allowDeselect={false}
              disabled={readOnly}
              w={220}
            />
          ) : (
            <TextInput
              aria-label={`Constant of ${name}`}
              placeholder="Fixed value"
              value={row.constant}
              onChange={(event) => onChange({ constant: event.currentTarget.value })}
              disabled={readOnly}
              w={220}
            />
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <TransformsEditor
          transforms={row.transforms}
          onChange={(transforms) => onChange({ transforms })}
          rowLabel={name}
          disabled={readOnly}
        />
      </Table.Td>
      <Table.Td>
        {column && isChoice(column) ? (
          <Stack gap={4} align="flex-start">
            <SegmentedControl
              size="xs"
              aria-label={`Choice of ${name} by`}
              data={[
                { value: 'label', label: 'By label' },
                { value: 'value', label: 'By value' },
              ]}
              value={row.choiceBy}
              onChange={(by) => onChange(switchChoiceBy(row, column, by === 'value' ? 'value' : 'label'))}
              disabled={readOnly}
            />
            <ChoiceOptions column={column} />
          </Stack>
        ) : (
          <Text size="xs" c="dimmed">
            {column
              ? `${column.type}${column.maxLength !== undefined ? `, max ${column.maxLength}` : ''}`
              : '—'}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {!readOnly && (
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove the mapping of ${name}`}
            onClick={props.onRemove}
          >
            <IconTrash size={16} />
          </ActionIcon>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** A constant option keeps meaning the same option when the rule switches between label and value. */
function switchChoiceBy(
  row: MappingRowDraft,
  column: CrmColumn,
  by: 'label' | 'value',
): Partial<MappingRowDraft> {
  if (row.valueKind !== 'constant' || by === row.choiceBy) return { choiceBy: by };
  const option = column.options?.find((o) =>
    row.choiceBy === 'value' ? String(o.value) === row.constant : o.label === row.constant,
  );
  if (!option) return { choiceBy: by };
  return { choiceBy: by, constant: by === 'value' ? String(option.value) : option.label };
}

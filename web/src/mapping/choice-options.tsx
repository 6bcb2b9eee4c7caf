import { Button, Popover, ScrollArea, Table, Text } from '@mantine/core';
import { IconList } from '@tabler/icons-react';
import type { CrmColumn } from './mapping-draft.js';

/** The valid options of a choice column, as Dynamics 365 lists them (value and label). */
export function ChoiceOptions({ column }: { readonly column: CrmColumn }) {
  const options = column.options ?? [];
  return (
    <Popover width={320} position="bottom-start" withArrow shadow="md">
      <Popover.Target>
        <Button variant="subtle" size="compact-xs" leftSection={<IconList size={14} />}>
          {options.length} option{options.length === 1 ? '' : 's'}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        {options.length === 0 ? (
          <Text size="sm">The CRM lists no options for {column.displayName ?? column.logicalName}.</Text>
        ) : (
          <ScrollArea.Autosize mah={280}>
            <Table verticalSpacing={4} aria-label={`Options of ${column.logicalName}`}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Value</Table.Th>
                  <Table.Th>Label</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {options.map((option) => (
                  <Table.Tr key={option.value}>
                    <Table.Td ff="monospace">{option.value}</Table.Td>
                    <Table.Td>{option.label}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}

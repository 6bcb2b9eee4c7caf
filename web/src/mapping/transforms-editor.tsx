import { ActionIcon, Button, Group, Popover, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash, IconWand } from '@tabler/icons-react';
import { describeTransform, type MappingTransform } from './mapping-draft.js';

type Kind = MappingTransform['kind'];

const KIND_OPTIONS: { value: Kind; label: string }[] = [
  { value: 'trim', label: 'Trim spaces' },
  { value: 'case', label: 'Change case' },
  { value: 'split_full_name', label: 'Split full name' },
  { value: 'phone_e164', label: 'Phone to E.164' },
  { value: 'country', label: 'Country' },
];

function defaultOf(kind: Kind): MappingTransform {
  switch (kind) {
    case 'trim':
      return { kind };
    case 'case':
      return { kind, to: 'lower' };
    case 'split_full_name':
      return { kind, part: 'first' };
    case 'phone_e164':
      return { kind };
    case 'country':
      return { kind, to: 'name' };
  }
}

function TransformSettings({
  transform,
  onChange,
  label,
}: {
  readonly transform: MappingTransform;
  readonly onChange: (next: MappingTransform) => void;
  readonly label: string;
}) {
  switch (transform.kind) {
    case 'trim':
      return null;
    case 'case':
      return (
        <Select
          aria-label={`${label}: case`}
          data={[
            { value: 'lower', label: 'lower case' },
            { value: 'upper', label: 'UPPER CASE' },
            { value: 'title', label: 'Title Case' },
          ]}
          value={transform.to}
          onChange={(to) => to && onChange({ kind: 'case', to: to as 'lower' | 'upper' | 'title' })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          w={150}
        />
      );
    case 'split_full_name':
      return (
        <Select
          aria-label={`${label}: part`}
          data={[
            { value: 'first', label: 'First name' },
            { value: 'last', label: 'Last name' },
          ]}
          value={transform.part}
          onChange={(part) => part && onChange({ kind: 'split_full_name', part: part as 'first' | 'last' })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          w={150}
        />
      );
    case 'phone_e164':
      return (
        <TextInput
          aria-label={`${label}: default country`}
          placeholder="Default country, e.g. DE"
          value={transform.defaultCountry ?? ''}
          maxLength={2}
          onChange={(event) => {
            const code = event.currentTarget.value.toUpperCase();
            onChange(code ? { kind: 'phone_e164', defaultCountry: code } : { kind: 'phone_e164' });
          }}
          w={150}
        />
      );
    case 'country':
      return (
        <Select
          aria-label={`${label}: to`}
          data={[
            { value: 'name', label: 'Name (Germany)' },
            { value: 'iso2', label: 'ISO 2 (DE)' },
            { value: 'iso3', label: 'ISO 3 (DEU)' },
          ]}
          value={transform.to}
          onChange={(to) => to && onChange({ kind: 'country', to: to as 'name' | 'iso2' | 'iso3' })}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          w={150}
        />
      );
  }
}

interface TransformsEditorProps {
  readonly transforms: readonly MappingTransform[];
  readonly onChange: (next: MappingTransform[]) => void;
  /** Names the row for assistive technology, e.g. "emailaddress1". */
  readonly rowLabel: string;
  readonly disabled?: boolean;
}

/** The transforms of one rule, applied in order; the row shows a one-line summary. */
export function TransformsEditor({ transforms, onChange, rowLabel, disabled }: TransformsEditorProps) {
  const replace = (index: number, next: MappingTransform) =>
    onChange(transforms.map((transform, i) => (i === index ? next : transform)));
  return (
    <Popover width={420} position="bottom-start" withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconWand size={14} />}
          disabled={disabled ?? false}
          aria-label={`Transforms of ${rowLabel}`}
          styles={{ label: { whiteSpace: 'normal', textAlign: 'left' } }}
        >
          {transforms.length === 0 ? 'None' : transforms.map(describeTransform).join(' → ')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            Transforms, in order
          </Text>
          {transforms.length === 0 && (
            <Text size="sm" c="dimmed">
              The value is used as the source sends it.
            </Text>
          )}
          {transforms.map((transform, index) => {
            const label = `Transform ${index + 1} of ${rowLabel}`;
            return (
              <Group key={index} gap="xs" wrap="nowrap">
                <Select
                  aria-label={label}
                  data={KIND_OPTIONS}
                  value={transform.kind}
                  onChange={(kind) => kind && replace(index, defaultOf(kind as Kind))}
                  allowDeselect={false}
                  comboboxProps={{ withinPortal: false }}
                  w={170}
                />
                <TransformSettings
                  transform={transform}
                  onChange={(next) => replace(index, next)}
                  label={label}
                />
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${label}`}
                  onClick={() => onChange(transforms.filter((_, i) => i !== index))}
                  ml="auto"
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            );
          })}
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...transforms, defaultOf('trim')])}
            disabled={transforms.length >= 10}
            w="fit-content"
          >
            Add transform
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

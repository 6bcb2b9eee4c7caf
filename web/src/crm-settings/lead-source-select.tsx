import { Button, Select, Stack } from '@mantine/core';
import type { ChoiceOptions } from '@contracts';
import type { ApiResource } from '../api/use-api-resource.js';

interface LeadSourceSelectProps {
  /** The environment's live `lead.leadsourcecode` choices. */
  readonly choices: ApiResource<ChoiceOptions>;
  readonly value: string | null;
  readonly onChange: (value: string | null) => void;
  readonly disabled: boolean;
}

/** The Lead Source from the environment's own choices; a stored code it no longer offers stays visible. */
export function LeadSourceSelect({ choices, value, onChange, disabled }: LeadSourceSelectProps) {
  const options = (choices.data?.options ?? []).map((option) => ({
    value: String(option.value),
    label: option.label,
  }));
  if (value !== null && !options.some((option) => option.value === value))
    options.push({ value, label: `Choice ${value} (not offered by the environment)` });
  const placeholder = choices.loading
    ? 'Loading the choices from Dynamics 365…'
    : choices.error
      ? 'Choices unavailable'
      : 'Not set: Dynamics 365 leaves it empty';
  return (
    <Stack gap={6} align="flex-start">
      <Select
        label="Lead Source"
        description="Given to every lead Leadbridge creates. The choices come live from this environment's Lead Source column (leadsourcecode)."
        placeholder={placeholder}
        data={options}
        value={value}
        onChange={onChange}
        clearable
        searchable
        nothingFoundMessage="No such choice"
        disabled={disabled || choices.loading || choices.error !== undefined}
        {...(choices.error ? { error: `The choices could not be loaded: ${choices.error.message}` } : {})}
        w="100%"
        maw={420}
      />
      {choices.error && (
        <Button size="compact-xs" variant="subtle" onClick={choices.reload}>
          Load the choices again
        </Button>
      )}
    </Stack>
  );
}

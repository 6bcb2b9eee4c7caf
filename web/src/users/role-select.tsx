import { Select } from '@mantine/core';
import { ROLES, type Role } from '@contracts';
import { ROLE_LABELS } from '../session/role-access.js';

const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

function isRole(value: string | null): value is Role {
  return ROLES.some((role) => role === value);
}

interface RoleSelectProps {
  readonly value: Role;
  readonly onChange: (role: Role) => void;
  /** Visible label in forms; tables pass `ariaLabel` instead. */
  readonly label?: string;
  readonly ariaLabel?: string;
  readonly disabled?: boolean;
  readonly description?: string;
}

export function RoleSelect({
  value,
  onChange,
  label,
  ariaLabel,
  disabled = false,
  description,
}: RoleSelectProps) {
  return (
    <Select
      data={ROLE_OPTIONS}
      value={value}
      onChange={(next) => isRole(next) && onChange(next)}
      allowDeselect={false}
      disabled={disabled}
      {...(label ? { label } : {})}
      {...(ariaLabel ? { 'aria-label': ariaLabel } : {})}
      {...(description ? { description } : {})}
    />
  );
}

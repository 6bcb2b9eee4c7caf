import { Badge } from '@mantine/core';
import type { SyncLogEntryView } from '@contracts';

export type Outcome = SyncLogEntryView['outcome'];

export const OUTCOME_DISPLAY: Readonly<Record<Outcome, { label: string; color: string }>> = {
  created: { label: 'Created', color: 'green' },
  updated: { label: 'Updated', color: 'blue' },
  skipped: { label: 'Skipped', color: 'gray' },
  failed: { label: 'Failed', color: 'red' },
};

export function OutcomeBadge({ outcome }: { readonly outcome: Outcome }) {
  const display = OUTCOME_DISPLAY[outcome];
  return (
    <Badge color={display.color} variant="light">
      {display.label}
    </Badge>
  );
}

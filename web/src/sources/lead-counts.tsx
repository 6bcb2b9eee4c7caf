import { Badge, Group, Text } from '@mantine/core';
import { leadStatusDisplay } from './source-labels.js';

/** Leads by status as small badges; zero counts are left out so what needs attention stands out. */
export function LeadCounts({ counts }: { readonly counts: Readonly<Record<string, number>> }) {
  const shown = Object.entries(counts).filter(([, count]) => count > 0);
  if (shown.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No leads yet
      </Text>
    );
  return (
    <Group gap={6}>
      {shown.map(([status, count]) => {
        const display = leadStatusDisplay(status);
        return (
          <Badge key={status} color={display.color} variant="light" size="sm">
            {count.toLocaleString()} {display.label.toLowerCase()}
          </Badge>
        );
      })}
    </Group>
  );
}

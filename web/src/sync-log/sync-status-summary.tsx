import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { SyncStatus } from '@contracts';
import { formatMoment } from '../format/date-time.js';
import { leadStatusDisplay } from '../sources/source-labels.js';

const JOB_LABELS: Readonly<Record<string, string>> = {
  ready: 'Waiting',
  leased: 'Running',
  done: 'Done',
  dead: 'Dead letters',
};

const CONNECTION_COLORS: Readonly<Record<string, string>> = {
  active: 'green',
  throttled: 'yellow',
  needs_reauthorization: 'orange',
  unreachable: 'red',
  untested: 'gray',
};

function Counts({
  title,
  counts,
  display,
}: {
  readonly title: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly display: (key: string) => { label: string; color: string };
}) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb="xs">
        {title}
      </Text>
      <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
        {Object.entries(counts).map(([key, count]) => {
          const { label, color } = display(key);
          return (
            <Group key={key} gap={6} wrap="nowrap">
              <Text fw={700} c={count > 0 ? color : 'dimmed'}>
                {count.toLocaleString()}
              </Text>
              <Text size="sm" c="dimmed">
                {label}
              </Text>
            </Group>
          );
        })}
      </SimpleGrid>
    </Paper>
  );
}

/** Leads by status, the queue, and each connection's health, above the sync log. */
export function SyncStatusSummary({ status }: { readonly status: SyncStatus }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md" role="region" aria-label="Sync status">
      <Counts title="Leads" counts={status.leads} display={leadStatusDisplay} />
      <Counts
        title="Sync jobs"
        counts={status.jobs}
        display={(key) => ({ label: JOB_LABELS[key] ?? key, color: key === 'dead' ? 'red' : 'dark' })}
      />
      <Paper withBorder radius="md" p="md">
        <Text size="xs" c="dimmed" tt="uppercase" fw={600} mb="xs">
          Connections
        </Text>
        <Stack gap={6}>
          {status.connections.length === 0 && <Text size="sm">No Dynamics 365 connection yet.</Text>}
          {status.connections.map((connection) => (
            <Group key={connection.id} justify="space-between" wrap="nowrap" gap="xs">
              <Stack gap={0} miw={0}>
                <Text size="sm" fw={500} truncate="end">
                  {connection.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {connection.requestsToday.toLocaleString()} requests today
                </Text>
              </Stack>
              <Badge
                color={CONNECTION_COLORS[connection.status] ?? 'gray'}
                variant="light"
                title={connection.statusReason}
                style={{ flexShrink: 0 }}
              >
                {connection.throttledUntil
                  ? `Throttled until ${formatMoment(connection.throttledUntil)}`
                  : connection.status.replace(/_/g, ' ')}
              </Badge>
            </Group>
          ))}
        </Stack>
      </Paper>
    </SimpleGrid>
  );
}

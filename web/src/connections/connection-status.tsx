import { Badge, Stack, Text } from '@mantine/core';
import type { Connection } from '@contracts';
import { formatMoment } from '../format/date-time.js';

type Status = Connection['status'];

const STATUS_DISPLAY: Readonly<Record<Status, { label: string; color: string; hint: string }>> = {
  active: { label: 'Active', color: 'green', hint: 'The last test or sync reached Dynamics 365.' },
  needs_reauthorization: {
    label: 'Needs re-authorization',
    color: 'orange',
    hint: 'Microsoft Entra ID refused the credentials: replace the client secret or certificate, then test again.',
  },
  throttled: {
    label: 'Throttled',
    color: 'yellow',
    hint: 'Dynamics 365 asked Leadbridge to slow down; work resumes by itself.',
  },
  unreachable: {
    label: 'Unreachable',
    color: 'red',
    hint: 'The environment did not answer: check the URL and that the environment is running.',
  },
  untested: {
    label: 'Untested',
    color: 'gray',
    hint: 'Run Test to check the credentials and the environment.',
  },
};

/** The status badge with the reason beside it, as a person needs it to decide what to do. */
export function ConnectionStatus({ connection }: { readonly connection: Connection }) {
  if (connection.revoked) {
    return (
      <Stack gap={4} align="flex-start">
        <Badge color="dark" variant="light">
          Revoked
        </Badge>
        <Text size="xs" c="dimmed">
          Leadbridge no longer uses this connection. Its credentials are kept.
        </Text>
      </Stack>
    );
  }
  const display = STATUS_DISPLAY[connection.status];
  const label =
    connection.status === 'throttled' && connection.throttledUntil
      ? `Throttled until ${formatMoment(connection.throttledUntil)}`
      : display.label;
  return (
    <Stack gap={4} align="flex-start">
      <Badge color={display.color} variant="light">
        {label}
      </Badge>
      <Text size="xs" c="dimmed" maw={320}>
        {connection.statusReason ?? display.hint}
      </Text>
    </Stack>
  );
}

import { Button, Group, Stack, Text } from '@mantine/core';
import type { User } from '@contracts';
import { formatDate } from '../format/date-time.js';

export type CrmSignIn = User['crmSignIns'][number];

interface CrmSignInsProps {
  readonly user: User;
  readonly onRevoke: (signIn: CrmSignIn) => void;
}

/** The Dynamics 365 environments a user signed in to themselves (delegated), each revocable. */
export function CrmSignIns({ user, onRevoke }: CrmSignInsProps) {
  if (user.crmSignIns.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  return (
    <Stack gap={6}>
      {user.crmSignIns.map((signIn) => (
        <Group key={signIn.connectionId} gap="xs" wrap="nowrap">
          <Stack gap={0} miw={0}>
            <Text size="sm" truncate="end">
              {signIn.connectionName}
            </Text>
            <Text size="xs" c="dimmed">
              since {formatDate(signIn.signedInAt)}
            </Text>
          </Stack>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            aria-label={`Revoke ${user.displayName}'s sign-in to ${signIn.connectionName}`}
            onClick={() => onRevoke(signIn)}
          >
            Revoke
          </Button>
        </Group>
      ))}
    </Stack>
  );
}

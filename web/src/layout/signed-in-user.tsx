import { Avatar, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconLogout } from '@tabler/icons-react';
import { ROLE_LABELS } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';

function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase() || '?';
}

/** Who is signed in, with their role, and the way out. */
export function SignedInUser() {
  const { user, signOut } = useSession();
  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="nowrap" aria-label="Signed in as">
        <Avatar color="indigo" radius="xl" aria-hidden>
          {initialsOf(user.displayName)}
        </Avatar>
        <Stack gap={0} miw={0}>
          <Text size="sm" fw={600} truncate="end">
            {user.displayName}
          </Text>
          <Text size="xs" c="dimmed" truncate="end" title={user.email}>
            {user.email}
          </Text>
          <Badge size="xs" variant="light" mt={4} w="fit-content">
            {ROLE_LABELS[user.role]}
          </Badge>
        </Stack>
      </Group>
      <Button
        variant="default"
        size="xs"
        leftSection={<IconLogout size={16} />}
        onClick={() => void signOut()}
        fullWidth
      >
        Sign out
      </Button>
    </Stack>
  );
}

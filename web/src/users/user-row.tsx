import { useState } from 'react';
import { Badge, Group, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { UpdateUserRequest, User } from '@contracts';
import { toApiClientError } from '../api/api-client-error.js';
import { formatDate } from '../format/date-time.js';
import { useSession } from '../session/session-context.js';
import { type CrmSignIn, CrmSignIns } from './crm-sign-ins.js';
import { RoleSelect } from './role-select.js';

interface UserRowProps {
  readonly user: User;
  readonly onChanged: () => void;
  readonly onRevokeSignIn: (user: User, signIn: CrmSignIn) => void;
}

export function UserRow({ user, onChanged, onRevokeSignIn }: UserRowProps) {
  const session = useSession();
  const [pending, setPending] = useState(false);
  // Your own role and access are changed by another admin, so nobody locks themselves out by a click.
  const isMe = session.user.id === user.id;

  const update = async (change: UpdateUserRequest, done: string) => {
    setPending(true);
    try {
      await session.api.updateUser(user.id, change);
      notifications.show({ color: 'green', message: done });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: `${user.displayName} was not changed`,
        message: toApiClientError(error).message,
      });
    } finally {
      setPending(false);
      onChanged();
    }
  };

  return (
    <Table.Tr>
      <Table.Td>
        <Stack gap={2}>
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {user.displayName}
            </Text>
            {isMe && (
              <Badge size="xs" variant="light">
                You
              </Badge>
            )}
            {user.disabled && (
              <Badge size="xs" color="gray" variant="light">
                Disabled
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed">
            {user.email}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td w={200}>
        <RoleSelect
          ariaLabel={`Role of ${user.displayName}`}
          value={user.role}
          disabled={isMe || pending}
          onChange={(role) => void update({ role }, `${user.displayName}'s role changed.`)}
        />
      </Table.Td>
      <Table.Td>
        <Switch
          aria-label={`Disable ${user.displayName}`}
          checked={user.disabled}
          disabled={isMe || pending}
          onChange={(event) =>
            void update(
              { disabled: event.currentTarget.checked },
              event.currentTarget.checked
                ? `${user.displayName} is disabled.`
                : `${user.displayName} is enabled again.`,
            )
          }
        />
      </Table.Td>
      <Table.Td>
        <CrmSignIns user={user} onRevoke={(signIn) => onRevokeSignIn(user, signIn)} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(user.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

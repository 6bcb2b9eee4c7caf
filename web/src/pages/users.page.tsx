import { useCallback, useState } from 'react';
import { Button, Paper, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUserPlus } from '@tabler/icons-react';
import type { User } from '@contracts';
import { useApiResource } from '../api/use-api-resource.js';
import { ConfirmModal } from '../components/confirm-modal.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { useSession } from '../session/session-context.js';
import type { CrmSignIn } from '../users/crm-sign-ins.js';
import { InviteUserModal } from '../users/invite-user-modal.js';
import { UserRow } from '../users/user-row.js';

export function UsersPage() {
  const { api } = useSession();
  const users = useApiResource(useCallback(() => api.listUsers(), [api]));
  const [inviting, setInviting] = useState(false);
  const [revoking, setRevoking] = useState<{ user: User; signIn: CrmSignIn }>();
  const { reload } = users;

  return (
    <>
      <PageHeader
        title="Users"
        description="Who may sign in to Leadbridge, with which role, and the Dynamics 365 environments each person signed in to."
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)}>
            Invite user
          </Button>
        }
      />
      {users.error ? (
        <ErrorAlert title="Users could not be loaded" error={users.error} onRetry={reload} />
      ) : !users.data ? (
        <PageLoader label="Loading users…" />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>User</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Disabled</Table.Th>
                  <Table.Th>CRM sign-ins</Table.Th>
                  <Table.Th>Added</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.map((user) => (
                  <UserRow
                    key={user.id}
                    user={user}
                    onChanged={reload}
                    onRevokeSignIn={(u, signIn) => setRevoking({ user: u, signIn })}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {inviting && (
        <InviteUserModal
          onClose={() => setInviting(false)}
          onInvited={(user) => {
            setInviting(false);
            notifications.show({
              color: 'green',
              title: 'User invited',
              message: `${user.displayName} can sign in as ${user.email}.`,
            });
            reload();
          }}
        />
      )}
      <ConfirmModal
        opened={revoking !== undefined}
        title="Revoke the CRM sign-in?"
        confirmLabel="Revoke"
        danger
        onClose={() => setRevoking(undefined)}
        onConfirm={async () => {
          if (!revoking) return;
          await api.revokeCrmSignIn(revoking.user.id, revoking.signIn.connectionId);
          notifications.show({
            color: 'green',
            message: `${revoking.user.displayName}'s sign-in to ${revoking.signIn.connectionName} is revoked.`,
          });
          reload();
        }}
      >
        <Text size="sm">
          Leadbridge deletes the tokens {revoking?.user.displayName} got by signing in to{' '}
          {revoking?.signIn.connectionName}. Nothing is done in their name there until they sign in again.
        </Text>
      </ConfirmModal>
    </>
  );
}

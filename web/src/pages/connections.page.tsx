import { useCallback, useState } from 'react';
import { Button, EmptyState, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlugConnected, IconPlus } from '@tabler/icons-react';
import type { Connection } from '@contracts';
import { toApiClientError } from '../api/api-client-error.js';
import { useApiResource } from '../api/use-api-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { AddConnectionModal } from '../connections/add-connection-modal.js';
import type { ConnectionAction } from '../connections/connection-row-actions.js';
import { type ConnectionTestRun, ConnectionTestModal } from '../connections/connection-test-modal.js';
import { ConnectionsTable } from '../connections/connections-table.js';
import { DisconnectConnectionModal } from '../connections/disconnect-connection-modal.js';
import { MyCrmSignIns } from '../connections/my-crm-sign-ins.js';
import { RevokeConnectionModal } from '../connections/revoke-connection-modal.js';
import { mayManageConnections } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';

export function ConnectionsPage() {
  const { api, user } = useSession();
  const manage = mayManageConnections(user.role);
  const connections = useApiResource(useCallback(() => api.listConnections(), [api]));
  const [adding, setAdding] = useState(false);
  const [testRun, setTestRun] = useState<ConnectionTestRun>();
  const [revoking, setRevoking] = useState<Connection>();
  const [disconnecting, setDisconnecting] = useState<Connection>();
  const { reload } = connections;

  const runTest = useCallback(
    async (connection: Connection) => {
      setTestRun({ connection });
      try {
        const result = await api.testConnection(connection.id);
        setTestRun((run) => (run?.connection.id === connection.id ? { connection, result } : run));
      } catch (error) {
        const failure = toApiClientError(error);
        setTestRun((run) => (run?.connection.id === connection.id ? { connection, error: failure } : run));
      }
      // The test updates the connection's status either way.
      reload();
    },
    [api, reload],
  );

  const makePrimary = useCallback(
    async (connection: Connection) => {
      try {
        await api.updateConnection(connection.id, { isPrimary: true });
        notifications.show({ color: 'green', message: `${connection.name} is now the primary connection.` });
      } catch (error) {
        notifications.show({
          color: 'red',
          title: `${connection.name} was not made primary`,
          message: toApiClientError(error).message,
        });
      }
      reload();
    },
    [api, reload],
  );

  const onAction = (action: ConnectionAction, connection: Connection) => {
    if (action === 'test') void runTest(connection);
    else if (action === 'make_primary') void makePrimary(connection);
    else if (action === 'revoke') setRevoking(connection);
    else setDisconnecting(connection);
  };

  const list = connections.data;
  const addButton = manage && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
      Add connection
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Connections"
        description="The Dynamics 365 environments Leadbridge writes leads to. Each one signs in as an app registration of Microsoft Entra ID."
        actions={list && list.length > 0 ? addButton : undefined}
      />
      {connections.error ? (
        <ErrorAlert title="Connections could not be loaded" error={connections.error} onRetry={reload} />
      ) : !list ? (
        <PageLoader label="Loading connections…" />
      ) : list.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <EmptyState
            icon={<IconPlugConnected size={28} />}
            variant="light"
            title="No connections yet — add your Dynamics 365 environment"
            description={
              manage
                ? 'You need its URL, and the tenant ID, client ID and a client secret (or certificate) of an app registration.'
                : 'An admin adds the environments Leadbridge writes to.'
            }
          >
            {addButton && <EmptyState.Actions>{addButton}</EmptyState.Actions>}
          </EmptyState>
        </Paper>
      ) : (
        <ConnectionsTable connections={list} {...(manage ? { onAction } : {})} />
      )}
      {!manage && list && list.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          Only an admin can add, test or change connections.
        </Text>
      )}
      {list && <MyCrmSignIns connections={list} />}
      {manage && (
        <>
          {adding && (
            <AddConnectionModal
              opened
              first={list?.length === 0}
              onClose={() => setAdding(false)}
              onAdded={(connection) => {
                setAdding(false);
                notifications.show({
                  color: 'green',
                  title: 'Connection added',
                  message: `Test ${connection.name} to check its credentials.`,
                });
                reload();
              }}
            />
          )}
          <ConnectionTestModal run={testRun} onClose={() => setTestRun(undefined)} />
          <RevokeConnectionModal
            connection={revoking}
            onClose={() => setRevoking(undefined)}
            onConfirm={async (connection) => {
              await api.revokeConnection(connection.id);
              notifications.show({ color: 'green', message: `${connection.name} is revoked.` });
              reload();
            }}
          />
          <DisconnectConnectionModal
            connection={disconnecting}
            onClose={() => setDisconnecting(undefined)}
            onConfirm={async (connection) => {
              await api.disconnectConnection(connection.id);
              notifications.show({ color: 'green', message: `${connection.name} is disconnected.` });
              reload();
            }}
          />
        </>
      )}
    </>
  );
}

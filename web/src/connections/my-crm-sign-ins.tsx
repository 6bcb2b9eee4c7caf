import { useCallback, useState } from 'react';
import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconLogin2 } from '@tabler/icons-react';
import type { Connection } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { useApiResource } from '../api/use-api-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { formatDateTime } from '../format/date-time.js';
import { mayManageConnections } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { crmSignInRedirectUri } from './crm-sign-in-redirect.js';

interface MyCrmSignInsProps {
  readonly connections: readonly Connection[];
}

/**
 * The signed-in person's own Dynamics 365 sign-in per connection, and the button that starts it:
 * the API returns Entra ID's sign-in URL and the browser goes there, coming back to the callback page.
 */
export function MyCrmSignIns({ connections }: MyCrmSignInsProps) {
  const { api, user } = useSession();
  const signIns = useApiResource(useCallback(() => api.myCrmSignIns(), [api]));
  const [starting, setStarting] = useState<string>();
  const [failure, setFailure] = useState<{ connection: Connection; error: ApiClientError }>();
  const live = connections.filter((connection) => !connection.revoked);
  if (live.length === 0) return null;

  const start = async (connection: Connection) => {
    setStarting(connection.id);
    setFailure(undefined);
    try {
      const { url } = await api.beginCrmSignIn(connection.id, crmSignInRedirectUri());
      window.location.assign(url);
    } catch (error) {
      setFailure({ connection, error: toApiClientError(error) });
      setStarting(undefined);
    }
  };

  return (
    <Paper withBorder radius="md" p="lg" mt="xl" component="section" aria-labelledby="my-crm-sign-in">
      <Stack gap="xs" mb="md">
        <Title order={3} id="my-crm-sign-in">
          Your Dynamics 365 sign-in
        </Title>
        <Text size="sm" c="dimmed" maw={720}>
          “Add to CRM” runs as you in Dynamics 365, so your own CRM permissions and auditing apply. Sign in
          once per environment with your Microsoft work account; Leadbridge keeps the sign-in encrypted and
          renews it. An admin can revoke it.
        </Text>
      </Stack>
      {signIns.error && (
        <ErrorAlert
          title="Your sign-ins could not be loaded"
          error={signIns.error}
          onRetry={signIns.reload}
        />
      )}
      {failure && (
        <ErrorAlert
          title={`The sign-in to ${failure.connection.name} could not start`}
          error={failure.error}
        />
      )}
      <Table verticalSpacing="sm" aria-label="Your Dynamics 365 sign-ins">
        <Table.Tbody>
          {live.map((connection) => {
            const signIn = signIns.data?.find((s) => s.connectionId === connection.id);
            return (
              <Table.Tr key={connection.id}>
                <Table.Td>
                  <Stack gap={2}>
                    <Text fw={600} size="sm">
                      {connection.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {connection.environmentUrl}
                    </Text>
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {signIns.loading && !signIns.data ? (
                    <Text size="sm" c="dimmed">
                      Checking…
                    </Text>
                  ) : signIn ? (
                    <Group gap="xs">
                      <Badge color="green" variant="light">
                        Signed in
                      </Badge>
                      <Text size="xs" c="dimmed">
                        since {formatDateTime(signIn.signedInAt)}
                      </Text>
                    </Group>
                  ) : (
                    <Badge color="gray" variant="light">
                      Not signed in
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="xs"
                    variant={signIn ? 'default' : 'filled'}
                    leftSection={<IconLogin2 size={16} />}
                    loading={starting === connection.id}
                    disabled={starting !== undefined && starting !== connection.id}
                    aria-label={`${signIn ? 'Sign in again to' : 'Sign in to'} Dynamics 365: ${connection.name}`}
                    onClick={() => void start(connection)}
                  >
                    {signIn ? 'Sign in again' : 'Sign in to Dynamics 365'}
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {mayManageConnections(user.role) && (
        <Text size="xs" c="dimmed" mt="sm">
          For this to work, the app registration of each connection needs the redirect URI{' '}
          <Code>{crmSignInRedirectUri()}</Code> (platform “Web”) and the delegated permission Dynamics CRM
          user_impersonation.
        </Text>
      )}
    </Paper>
  );
}

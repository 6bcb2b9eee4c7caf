import { useCallback } from 'react';
import { Button, EmptyState, Paper, Select, Stack } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { useApiResource } from '../api/use-api-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { CrmSettingsPanel } from '../crm-settings/crm-settings-panel.js';
import { useSession } from '../session/session-context.js';

export function CrmSettingsPage() {
  const { api } = useSession();
  const connections = useApiResource(useCallback(() => api.listConnections(), [api]));
  // The chosen connection lives in the URL, so a reload or a shared link opens the same one.
  const [params, setParams] = useSearchParams();
  const list = connections.data;
  const chosenId = params.get('connection') ?? (list?.find((c) => c.isPrimary) ?? list?.[0])?.id;
  const chosen = list?.find((c) => c.id === chosenId);

  return (
    <>
      <PageHeader
        title="CRM settings"
        description="What Leadbridge may create in each Dynamics 365 environment, and the Lead Source it gives the leads it creates."
      />
      {connections.error ? (
        <ErrorAlert
          title="Connections could not be loaded"
          error={connections.error}
          onRetry={connections.reload}
        />
      ) : !list ? (
        <PageLoader label="Loading connections…" />
      ) : list.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <EmptyState
            icon={<IconPlugConnected size={28} />}
            variant="light"
            title="No connections yet — add your Dynamics 365 environment"
            description="CRM settings belong to a connection. Add one first."
          >
            <EmptyState.Actions>
              <Button component={Link} to="/connections">
                Open Connections
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Paper>
      ) : (
        <Stack gap="lg" maw={760}>
          <Select
            label="Connection"
            data={list.map((c) => ({
              value: c.id,
              label: `${c.name}${c.isPrimary ? ' (primary)' : ''}${c.revoked ? ' (revoked)' : ''}`,
            }))}
            value={chosen?.id ?? null}
            onChange={(id) => id && setParams({ connection: id })}
            allowDeselect={false}
            maw={420}
            {...(chosenId && !chosen ? { error: 'That connection no longer exists; choose another.' } : {})}
          />
          {chosen && <CrmSettingsPanel key={chosen.id} connection={chosen} />}
        </Stack>
      )}
    </>
  );
}

import { useCallback } from 'react';
import { Paper } from '@mantine/core';
import type { Connection } from '@contracts';
import { useApiResource } from '../api/use-api-resource.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageLoader } from '../components/page-loader.js';
import { mayManageConnections } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { CrmSettingsEditor } from './crm-settings-editor.js';

/** Loads one connection's settings and its live Lead Source choices side by side. */
export function CrmSettingsPanel({ connection }: { readonly connection: Connection }) {
  const { api, user } = useSession();
  const settings = useApiResource(useCallback(() => api.crmSettings(connection.id), [api, connection.id]));
  const choices = useApiResource(useCallback(() => api.leadSources(connection.id), [api, connection.id]));

  return (
    <Paper withBorder radius="md" p="lg">
      {settings.error ? (
        <ErrorAlert
          title="The CRM settings could not be loaded"
          error={settings.error}
          onRetry={settings.reload}
        />
      ) : !settings.data ? (
        <PageLoader label="Loading the CRM settings…" />
      ) : (
        <CrmSettingsEditor
          connection={connection}
          settings={settings.data}
          choices={choices}
          readOnly={!mayManageConnections(user.role)}
        />
      )}
    </Paper>
  );
}

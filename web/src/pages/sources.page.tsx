import { useCallback, useState } from 'react';
import { Button, EmptyState, Paper } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInbox, IconPlus } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { mayManageLeadSync } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { CreateSourceModal } from '../sources/create-source-modal.js';
import { SourcesTable } from '../sources/sources-table.js';

export function SourcesPage() {
  const { user } = useSession();
  const manage = mayManageLeadSync(user.role);
  const api = useSourcesApi();
  const sources = useApiResource(useCallback(() => api.listSources(), [api]));
  const [creating, setCreating] = useState(false);
  const navigate = useNavigate();
  const list = sources.data;

  const addButton = manage && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      Add source
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Sources"
        description="Where leads come from: the capture API, hosted forms, CSV files and partner feeds. Each source maps its fields to Dynamics 365 columns and decides how duplicates are handled."
        actions={addButton}
      />
      {sources.error ? (
        <ErrorAlert title="Sources could not be loaded" error={sources.error} onRetry={sources.reload} />
      ) : !list ? (
        <PageLoader label="Loading sources…" />
      ) : list.length === 0 ? (
        <Paper withBorder radius="md" p="xl">
          <EmptyState
            icon={<IconInbox size={28} />}
            variant="light"
            title="No sources yet"
            description={
              manage
                ? 'Add a source for each place leads come from, e.g. your website’s contact form or a trade-fair spreadsheet.'
                : 'A lead-gen admin adds the places leads come from.'
            }
          >
            {addButton && <EmptyState.Actions>{addButton}</EmptyState.Actions>}
          </EmptyState>
        </Paper>
      ) : (
        <SourcesTable sources={list} />
      )}
      {creating && (
        <CreateSourceModal
          onClose={() => setCreating(false)}
          onCreated={(source) => {
            setCreating(false);
            notifications.show({
              color: 'green',
              title: 'Source added',
              message: `${source.name} is ready.`,
            });
            void navigate(`/sources/${source.id}`);
          }}
        />
      )}
    </>
  );
}

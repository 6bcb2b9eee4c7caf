import { useCallback, useState } from 'react';
import { Anchor, Breadcrumbs, EmptyState, Paper, SegmentedControl, Stack, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Source } from '@contracts';
import type { CrmTableName } from '../api/sources-api.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { MappingEditor } from '../mapping/mapping-editor.js';
import { mayManageLeadSync } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { NotFoundPage } from './not-found.page.js';

const TABLES: readonly { value: CrmTableName; label: string }[] = [
  { value: 'lead', label: 'Lead' },
  { value: 'contact', label: 'Contact' },
];

export function MappingEditorPage() {
  const { user } = useSession();
  const { id = '', table = '' } = useParams();
  const chosen = TABLES.find((entry) => entry.value === table);
  if (!mayManageLeadSync(user.role))
    return (
      <Paper withBorder radius="md" p="xl">
        <EmptyState
          icon={<IconLock size={28} />}
          variant="light"
          color="gray"
          title="Mappings are edited by lead-gen admins"
          description="The mapping editor reads the CRM's metadata, which only admins and lead-gen admins may do."
        />
      </Paper>
    );
  if (!chosen) return <NotFoundPage />;
  return <MappingEditorLoader sourceId={id} table={chosen.value} />;
}

function MappingEditorLoader({
  sourceId,
  table,
}: {
  readonly sourceId: string;
  readonly table: CrmTableName;
}) {
  const api = useSourcesApi();
  const navigate = useNavigate();
  const source = useApiResource(useCallback(() => api.getSource(sourceId), [api, sourceId]));
  const columns = useApiResource(useCallback(() => api.crmColumns(sourceId, table), [api, sourceId, table]));
  // The saved source replaces the loaded one, so Discard goes back to what is stored now.
  const [saved, setSaved] = useState<Source>();
  const current = saved?.id === sourceId ? saved : source.data;

  const error = source.error ?? columns.error;
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/sources" size="sm">
          Sources
        </Anchor>
        {current && (
          <Anchor component={Link} to={`/sources/${sourceId}`} size="sm">
            {current.name}
          </Anchor>
        )}
        <Text size="sm">Mapping</Text>
      </Breadcrumbs>
      <PageHeader
        title={current ? `Mapping: ${current.name}` : 'Mapping'}
        description="Which Dynamics 365 column each source field fills. Columns come from the environment’s live metadata; saving checks types, lengths, required columns and choices."
        actions={
          <SegmentedControl
            aria-label="CRM table"
            data={TABLES.map((entry) => ({ value: entry.value, label: entry.label }))}
            value={table}
            onChange={(next) => void navigate(`/sources/${sourceId}/mapping/${next}`)}
          />
        }
      />
      {error ? (
        <ErrorAlert
          title="The mapping could not be loaded"
          error={error}
          onRetry={() => {
            source.reload();
            columns.reload();
          }}
        />
      ) : !current || !columns.data ? (
        <PageLoader label="Loading the source and the CRM columns…" />
      ) : (
        <Stack gap="md">
          {!current.mappings[table] && (
            <Text size="sm" c="dimmed">
              This source has no {table} mapping yet, so it creates no {table}s. Add columns to start one.
            </Text>
          )}
          <MappingEditor
            key={`${sourceId}:${table}`}
            source={current}
            table={table}
            columns={columns.data.columns}
            onSaved={setSaved}
          />
        </Stack>
      )}
    </>
  );
}

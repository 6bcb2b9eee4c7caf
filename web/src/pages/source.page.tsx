import { useCallback, useState } from 'react';
import { Anchor, Badge, Breadcrumbs, Button, Group, Menu, Stack, Tabs, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChevronDown,
  IconExternalLink,
  IconFileTypeCsv,
  IconForms,
  IconKey,
  IconListCheck,
  IconRoute,
  IconSettings,
  IconTrash,
} from '@tabler/icons-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { Source } from '@contracts';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ConfirmModal } from '../components/confirm-modal.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { CsvImportPanel } from '../csv-import/csv-import-panel.js';
import { mayManageLeadSync } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { ApiKeysPanel } from '../sources/api-keys-panel.js';
import { LeadCounts } from '../sources/lead-counts.js';
import { SourceFieldsEditor } from '../sources/source-fields-editor.js';
import { SOURCE_KIND_HINTS, SOURCE_KIND_LABELS } from '../sources/source-labels.js';
import { SourceSettingsForm } from '../sources/source-settings-form.js';

type TabKey = 'settings' | 'fields' | 'api-keys' | 'import';

export function SourcePage() {
  const { id = '' } = useParams();
  const api = useSourcesApi();
  const loaded = useApiResource(useCallback(() => api.getSource(id), [api, id]));
  // What a save answered is newer than what was loaded.
  const [saved, setSaved] = useState<Source>();
  const source = saved?.id === id && saved.updatedAt >= (loaded.data?.updatedAt ?? '') ? saved : loaded.data;

  if (loaded.error)
    return <ErrorAlert title="The source could not be loaded" error={loaded.error} onRetry={loaded.reload} />;
  if (!source) return <PageLoader label="Loading the source…" />;
  return <SourceView source={source} onSaved={setSaved} />;
}

function SourceView({
  source,
  onSaved,
}: {
  readonly source: Source;
  readonly onSaved: (source: Source) => void;
}) {
  const { user } = useSession();
  const manage = mayManageLeadSync(user.role);
  const api = useSourcesApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [deleting, setDeleting] = useState(false);
  const tabs: readonly TabKey[] = manage
    ? ['settings', 'fields', 'api-keys', 'import']
    : ['settings', 'fields'];
  const wanted = params.get('tab') as TabKey | null;
  const tab: TabKey =
    wanted && tabs.includes(wanted) ? wanted : source.kind === 'csv' && manage ? 'import' : 'settings';

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/sources" size="sm">
          Sources
        </Anchor>
        <Text size="sm">{source.name}</Text>
      </Breadcrumbs>
      <PageHeader
        title={source.name}
        description={SOURCE_KIND_HINTS[source.kind]}
        actions={
          <>
            {source.formUrl && (
              <Button
                component="a"
                href={source.formUrl}
                target="_blank"
                rel="noreferrer"
                variant="default"
                leftSection={<IconExternalLink size={16} />}
              >
                Open hosted form
              </Button>
            )}
            <Button
              component={Link}
              to={`/sync-log?source=${encodeURIComponent(source.id)}`}
              variant="default"
              leftSection={<IconListCheck size={16} />}
            >
              Sync log
            </Button>
            {manage && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button leftSection={<IconRoute size={16} />} rightSection={<IconChevronDown size={14} />}>
                    Edit mapping
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item component={Link} to={`/sources/${source.id}/mapping/lead`}>
                    Lead mapping
                  </Menu.Item>
                  <Menu.Item component={Link} to={`/sources/${source.id}/mapping/contact`}>
                    Contact mapping
                  </Menu.Item>
                  <Menu.Divider />
                  <Menu.Item
                    color="red"
                    leftSection={<IconTrash size={14} />}
                    onClick={() => setDeleting(true)}
                  >
                    Delete source
                  </Menu.Item>
                </Menu.Dropdown>
              </Menu>
            )}
          </>
        }
      />
      <Group gap="xs" mt={-8} mb="lg">
        <Badge variant="light">{SOURCE_KIND_LABELS[source.kind]}</Badge>
        {!source.enabled && (
          <Badge variant="outline" color="gray">
            Disabled
          </Badge>
        )}
        <LeadCounts counts={source.leadCounts} />
      </Group>
      <Tabs
        value={tab}
        onChange={(next) => next && setParams({ tab: next }, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="settings" leftSection={<IconSettings size={16} />}>
            Settings
          </Tabs.Tab>
          <Tabs.Tab value="fields" leftSection={<IconForms size={16} />}>
            Fields
          </Tabs.Tab>
          {manage && (
            <Tabs.Tab value="api-keys" leftSection={<IconKey size={16} />}>
              API keys
            </Tabs.Tab>
          )}
          {manage && (
            <Tabs.Tab value="import" leftSection={<IconFileTypeCsv size={16} />}>
              CSV import
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="settings">
          <SourceSettingsForm key={source.updatedAt} source={source} readOnly={!manage} onSaved={onSaved} />
        </Tabs.Panel>
        <Tabs.Panel value="fields">
          <SourceFieldsEditor key={source.updatedAt} source={source} readOnly={!manage} onSaved={onSaved} />
        </Tabs.Panel>
        {manage && (
          <Tabs.Panel value="api-keys">
            <ApiKeysPanel source={source} />
          </Tabs.Panel>
        )}
        {manage && (
          <Tabs.Panel value="import">
            <Stack gap="md">
              <CsvImportPanel source={source} />
            </Stack>
          </Tabs.Panel>
        )}
      </Tabs>
      <ConfirmModal
        opened={deleting}
        title={`Delete ${source.name}?`}
        confirmLabel="Delete"
        danger
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await api.deleteSource(source.id);
          notifications.show({ color: 'green', message: `${source.name} is deleted.` });
          void navigate('/sources');
        }}
      >
        <Text size="sm">
          Its API keys and hosted form stop working. Records already written to Dynamics 365 stay there.
        </Text>
      </ConfirmModal>
    </>
  );
}

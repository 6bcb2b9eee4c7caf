import { useCallback, useState } from 'react';
import { Button, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import type { Strategy } from '@contracts';
import { toApiClientError } from '../api/api-client-error.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi, useSyncApi } from '../api/use-feature-apis.js';
import { ConfirmModal } from '../components/confirm-modal.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { mayManageLeadSync } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { CreateStrategyModal } from '../strategies/create-strategy-modal.js';
import { StrategiesTable } from '../strategies/strategies-table.js';

export function MatchingStrategiesPage() {
  const { user } = useSession();
  const manage = mayManageLeadSync(user.role);
  const sync = useSyncApi();
  const sourcesApi = useSourcesApi();
  const strategies = useApiResource(useCallback(() => sync.listStrategies(), [sync]));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Strategy>();
  const [busyId, setBusyId] = useState<string>();
  const { reload } = strategies;

  // The lead table's columns come from the CRM through a source (metadata is read per connection);
  // without a source the modal asks for the logical name instead.
  const helpers = useApiResource(
    useCallback(async () => {
      if (!manage) return { fields: [], columns: undefined };
      const sources = await sourcesApi.listSources();
      const fields = [
        ...new Set(sources.flatMap((source) => source.fields.map((field) => field.name))),
      ].sort();
      const first = sources[0];
      const columns = first
        ? await sourcesApi.crmColumns(first.id, 'lead').then(
            (answer) => answer.columns,
            () => undefined,
          )
        : undefined;
      return { fields, columns };
    }, [manage, sourcesApi]),
  );

  const activate = async (strategy: Strategy) => {
    setBusyId(strategy.id);
    try {
      await sync.activateStrategy(strategy.id);
      notifications.show({ color: 'green', message: `${strategy.name} is now the active strategy.` });
    } catch (error) {
      notifications.show({ color: 'red', title: 'Not activated', message: toApiClientError(error).message });
    } finally {
      setBusyId(undefined);
      reload();
    }
  };

  return (
    <>
      <PageHeader
        title="Matching strategies"
        description="How sources that use the organisation’s matching strategy recognise a person the CRM already has as a lead. Exactly one strategy is active; by default it matches on email."
        actions={
          manage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              New strategy
            </Button>
          )
        }
      />
      {strategies.error ? (
        <ErrorAlert title="The strategies could not be loaded" error={strategies.error} onRetry={reload} />
      ) : !strategies.data ? (
        <PageLoader label="Loading matching strategies…" />
      ) : (
        <StrategiesTable
          strategies={strategies.data}
          {...(manage
            ? { actions: { busyId, onActivate: (s: Strategy) => void activate(s), onDelete: setDeleting } }
            : {})}
        />
      )}
      {!manage && (
        <Text size="xs" c="dimmed" mt="sm">
          Only admins and lead-gen admins can change strategies.
        </Text>
      )}
      {creating && (
        <CreateStrategyModal
          sourceFields={helpers.data?.fields ?? []}
          leadColumns={helpers.data?.columns}
          onClose={() => setCreating(false)}
          onCreated={(strategy) => {
            setCreating(false);
            notifications.show({
              color: 'green',
              title: 'Strategy created',
              message: `Activate ${strategy.name} to use it.`,
            });
            reload();
          }}
        />
      )}
      <ConfirmModal
        opened={deleting !== undefined}
        title={`Delete ${deleting?.name ?? 'the strategy'}?`}
        confirmLabel="Delete"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          if (!deleting) return;
          await sync.deleteStrategy(deleting.id);
          notifications.show({ color: 'green', message: `${deleting.name} is deleted.` });
          reload();
        }}
      >
        <Text size="sm">
          The strategy is not active, so no source uses it now. Leads already synced are unchanged.
        </Text>
      </ConfirmModal>
    </>
  );
}

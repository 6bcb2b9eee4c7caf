import { useCallback, useState } from 'react';
import { Button, EmptyState, Group, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconListCheck, IconRefresh } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import type { SyncLogEntryView } from '@contracts';
import { toApiClientError } from '../api/api-client-error.js';
import type { SyncLogFilter } from '../api/sync-api.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi, useSyncApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { mayManageLeadSync } from '../session/role-access.js';
import { useSession } from '../session/session-context.js';
import { OUTCOME_DISPLAY, type Outcome } from '../sync-log/outcome-badge.js';
import { SyncLogDetailDrawer } from '../sync-log/sync-log-detail-drawer.js';
import { type SyncLogFilterValues, SyncLogFilters } from '../sync-log/sync-log-filters.js';
import { SyncLogTable } from '../sync-log/sync-log-table.js';
import { SyncStatusSummary } from '../sync-log/sync-status-summary.js';
import { useSyncLog } from '../sync-log/use-sync-log.js';

const isOutcome = (value: string | null): value is Outcome => value !== null && value in OUTCOME_DISPLAY;

/** A day in the browser's time zone as the API's instant: its first or its last millisecond. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const date = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function filterFromUrl(params: URLSearchParams): SyncLogFilterValues {
  const outcome = params.get('outcome');
  return {
    source: params.get('source'),
    outcome: isOutcome(outcome) ? outcome : null,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    text: params.get('q') ?? '',
  };
}

export function SyncLogPage() {
  const { user } = useSession();
  const manage = mayManageLeadSync(user.role);
  const sync = useSyncApi();
  const sourcesApi = useSourcesApi();
  const [params, setParams] = useSearchParams();
  // The filters live here and are mirrored to the URL (for links and reloads); reading them back
  // from the URL would lag behind quick successive changes, as router updates are transitions.
  const [values, setValues] = useState<SyncLogFilterValues>(() => filterFromUrl(params));
  const from = dayBound(values.from, false);
  const to = dayBound(values.to, true);
  const filter: SyncLogFilter = {
    ...(values.source && { sourceId: values.source }),
    ...(values.outcome && { outcome: values.outcome }),
    ...(from && { from }),
    ...(to && { to }),
    ...(values.text.trim() && { text: values.text.trim() }),
  };
  const log = useSyncLog(filter);
  const status = useApiResource(useCallback(() => sync.syncStatus(), [sync]));
  const sources = useApiResource(useCallback(() => sourcesApi.listSources(), [sourcesApi]));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<SyncLogEntryView>();
  const [replaying, setReplaying] = useState(false);

  const names = new Map((sources.data ?? []).map((source) => [source.id, source.name]));
  const sourceName = (id: string) => names.get(id) ?? id;

  const setFilter = (patch: Partial<SyncLogFilterValues>) => {
    const next = { ...values, ...patch };
    setValues((current) => ({ ...current, ...patch }));
    const search = new URLSearchParams();
    if (next.source) search.set('source', next.source);
    if (next.outcome) search.set('outcome', next.outcome);
    if (next.from) search.set('from', next.from);
    if (next.to) search.set('to', next.to);
    if (next.text) search.set('q', next.text);
    setParams(search, { replace: true });
    setSelected(new Set());
  };

  const refresh = () => {
    log.reload();
    status.reload();
  };

  const replay = async (
    request: { leadIds: string[] } | { sourceId: string; failed: true },
    what: string,
  ) => {
    setReplaying(true);
    try {
      const requeued = await sync.replay(request);
      notifications.show({
        color: 'green',
        title: 'Replay queued',
        message: `${requeued.toLocaleString()} lead${requeued === 1 ? '' : 's'} (${what}) will sync again.`,
      });
      setSelected(new Set());
      refresh();
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Nothing was replayed',
        message: toApiClientError(error).message,
      });
    } finally {
      setReplaying(false);
    }
  };

  const entries = log.entries;
  const selectedLeads = [...new Set((entries ?? []).filter((e) => selected.has(e.id)).map((e) => e.leadId))];
  const chosenSource = values.source ? sourceName(values.source) : undefined;

  return (
    <>
      <PageHeader
        title="Sync log"
        description="Every attempt to write a lead to Dynamics 365: what was created, updated or skipped and why, and what failed with the CRM’s answer in plain words."
        actions={
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={refresh}
            loading={log.loading}
          >
            Refresh
          </Button>
        }
      />
      <Stack gap="lg">
        {status.error ? (
          <ErrorAlert
            title="The sync status could not be loaded"
            error={status.error}
            onRetry={status.reload}
          />
        ) : status.data ? (
          <SyncStatusSummary status={status.data} />
        ) : null}
        <SyncLogFilters values={values} sources={sources.data ?? []} onChange={setFilter} />
        {manage && (
          <Group gap="sm">
            <Button
              disabled={selectedLeads.length === 0}
              loading={replaying}
              onClick={() => void replay({ leadIds: selectedLeads }, 'selected')}
            >
              Replay selected{selectedLeads.length > 0 ? ` (${selectedLeads.length})` : ''}
            </Button>
            <Tooltip
              label="Choose a source in the filters first."
              disabled={values.source !== null}
              withArrow
            >
              <Button
                variant="default"
                disabled={values.source === null}
                loading={replaying}
                onClick={() =>
                  values.source &&
                  void replay(
                    { sourceId: values.source, failed: true },
                    `all failures of ${chosenSource ?? 'the source'}`,
                  )
                }
              >
                Replay all failures of this source
              </Button>
            </Tooltip>
            <Text size="xs" c="dimmed">
              Replay after fixing a mapping or a connection: the leads sync again; none is created twice.
            </Text>
          </Group>
        )}
        {log.error && (
          <ErrorAlert title="The sync log could not be loaded" error={log.error} onRetry={log.reload} />
        )}
        {!entries ? (
          !log.error && <PageLoader label="Loading the sync log…" />
        ) : entries.length === 0 ? (
          <Paper withBorder radius="md" p="xl">
            <EmptyState
              icon={<IconListCheck size={28} />}
              variant="light"
              title={
                Object.keys(filter).length > 0 ? 'No entries match these filters' : 'Nothing has synced yet'
              }
              description="Entries appear here as soon as captured leads are written to Dynamics 365."
            />
          </Paper>
        ) : (
          <>
            <SyncLogTable
              entries={entries}
              sourceName={sourceName}
              onOpen={setOpen}
              {...(manage
                ? {
                    selection: {
                      selected,
                      onToggle: (ids: readonly string[], on: boolean) =>
                        setSelected((current) => {
                          const next = new Set(current);
                          for (const id of ids) {
                            if (on) next.add(id);
                            else next.delete(id);
                          }
                          return next;
                        }),
                    },
                  }
                : {})}
            />
            <Group justify="center">
              {log.hasMore ? (
                <Button variant="default" onClick={log.loadMore} loading={log.loadingMore}>
                  Load more
                </Button>
              ) : (
                <Text size="xs" c="dimmed">
                  {entries.length.toLocaleString()} entr{entries.length === 1 ? 'y' : 'ies'}, the oldest last.
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
      <SyncLogDetailDrawer
        entry={open}
        sourceName={sourceName}
        onClose={() => setOpen(undefined)}
        {...(manage ? { onReplay: (leadId: string) => void replay({ leadIds: [leadId] }, 'this lead') } : {})}
      />
    </>
  );
}

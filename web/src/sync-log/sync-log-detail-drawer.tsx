import { useCallback } from 'react';
import { Alert, Anchor, Button, Code, DataList, Drawer, Group, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconExternalLink, IconRefresh } from '@tabler/icons-react';
import type { SyncLogEntryView } from '@contracts';
import { useApiResource } from '../api/use-api-resource.js';
import { useSyncApi } from '../api/use-feature-apis.js';
import { ErrorAlert } from '../components/error-alert.js';
import { formatDateTime } from '../format/date-time.js';
import { OutcomeBadge } from './outcome-badge.js';

interface SyncLogDetailDrawerProps {
  /** The entry as the list shows it; the drawer loads the full entry (with its payload) by id. */
  readonly entry: SyncLogEntryView | undefined;
  readonly sourceName: (id: string) => string;
  readonly onClose: () => void;
  /** Absent for roles that may not replay. */
  readonly onReplay?: (leadId: string) => void;
}

export function SyncLogDetailDrawer({ entry, sourceName, onClose, onReplay }: SyncLogDetailDrawerProps) {
  return (
    <Drawer
      opened={entry !== undefined}
      onClose={onClose}
      position="right"
      size="lg"
      title={<Title order={4}>Sync log entry</Title>}
    >
      {entry && (
        <EntryDetail
          key={entry.id}
          listed={entry}
          sourceName={sourceName}
          {...(onReplay ? { onReplay } : {})}
        />
      )}
    </Drawer>
  );
}

function EntryDetail({
  listed,
  sourceName,
  onReplay,
}: {
  readonly listed: SyncLogEntryView;
  readonly sourceName: (id: string) => string;
  readonly onReplay?: (leadId: string) => void;
}) {
  const sync = useSyncApi();
  const full = useApiResource(useCallback(() => sync.syncLogEntry(listed.id), [sync, listed.id]));
  const entry = full.data ?? listed;
  return (
    <Stack gap="lg" role="region" aria-label="Entry detail">
      <Group justify="space-between">
        <Group gap="sm">
          <OutcomeBadge outcome={entry.outcome} />
          <Text size="sm" c="dimmed">
            {formatDateTime(entry.at)} · attempt {entry.attempt}
          </Text>
        </Group>
        {onReplay && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconRefresh size={14} />}
            onClick={() => onReplay(entry.leadId)}
          >
            Replay this lead
          </Button>
        )}
      </Group>
      <Text size="sm">{entry.reason}</Text>
      {(entry.errorCode ?? entry.errorMessage) && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title="What the CRM answered"
        >
          <Stack gap={4}>
            {entry.errorMessage && <Text size="sm">{entry.errorMessage}</Text>}
            <Text size="xs" c="dimmed">
              {entry.errorCode && <>Error code: {entry.errorCode}. </>}
              {entry.retryable === true
                ? 'Leadbridge retries this by itself.'
                : entry.retryable === false
                  ? 'Retrying will not help until the cause is fixed; then replay the lead.'
                  : ''}
            </Text>
          </Stack>
        </Alert>
      )}
      <DataList labelWidth={140}>
        <DataList.Item>
          <DataList.ItemLabel>Source</DataList.ItemLabel>
          <DataList.ItemValue>{sourceName(entry.sourceId)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Lead</DataList.ItemLabel>
          <DataList.ItemValue>
            <Code>{entry.leadId}</Code>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Decision</DataList.ItemLabel>
          <DataList.ItemValue>{entry.decision ?? '—'}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Table</DataList.ItemLabel>
          <DataList.ItemValue>{entry.table ?? '—'}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Record</DataList.ItemLabel>
          <DataList.ItemValue>
            {entry.recordUrl && entry.recordId ? (
              <Anchor href={entry.recordUrl} target="_blank" rel="noreferrer" size="sm">
                <Group gap={4} wrap="nowrap">
                  Open {entry.recordId} in Dynamics 365 <IconExternalLink size={14} />
                </Group>
              </Anchor>
            ) : (
              (entry.recordId ?? '—')
            )}
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          Mapped payload
        </Text>
        {full.error && (
          <ErrorAlert title="The full entry could not be loaded" error={full.error} onRetry={full.reload} />
        )}
        {entry.payload ? (
          <Code block aria-label="Mapped payload">
            {JSON.stringify(entry.payload, null, 2)}
          </Code>
        ) : (
          <Text size="sm" c="dimmed">
            {full.loading ? 'Loading…' : 'No payload was sent for this attempt.'}
          </Text>
        )}
      </Stack>
    </Stack>
  );
}

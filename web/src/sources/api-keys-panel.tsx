import { useCallback, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconKey, IconPlus } from '@tabler/icons-react';
import type { IssuedSourceApiKeyInfo, Source, SourceApiKeyInfo } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSourcesApi } from '../api/use-feature-apis.js';
import { ConfirmModal } from '../components/confirm-modal.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageLoader } from '../components/page-loader.js';
import { formatDateTime } from '../format/date-time.js';

/** The keys of the capture API and partner feed: created here, shown once, revoked here. */
export function ApiKeysPanel({ source }: { readonly source: Source }) {
  const api = useSourcesApi();
  const keys = useApiResource(useCallback(() => api.listApiKeys(source.id), [api, source.id]));
  const [issued, setIssued] = useState<IssuedSourceApiKeyInfo>();
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ApiClientError>();
  const [revoking, setRevoking] = useState<SourceApiKeyInfo>();
  const { reload } = keys;

  const create = async () => {
    setCreating(true);
    setCreateError(undefined);
    try {
      setIssued(await api.createApiKey(source.id));
      reload();
    } catch (failure) {
      setCreateError(toApiClientError(failure));
    } finally {
      setCreating(false);
    }
  };

  const captureUrl = `${window.location.origin}/api/v1/sources/${source.id}/${source.kind === 'partner' ? 'marketplace-leads' : 'leads'}`;
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={640}>
          Send leads to <Code>{captureUrl}</Code> with <Code>Authorization: Bearer &lt;key&gt;</Code>. A key
          is shown once, when it is created; Leadbridge keeps only its hash.
        </Text>
        <Button leftSection={<IconPlus size={16} />} loading={creating} onClick={() => void create()}>
          Create API key
        </Button>
      </Group>
      {createError && <ErrorAlert title="No key was created" error={createError} />}
      {keys.error ? (
        <ErrorAlert title="The API keys could not be loaded" error={keys.error} onRetry={reload} />
      ) : !keys.data ? (
        <PageLoader label="Loading API keys…" />
      ) : keys.data.length === 0 ? (
        <Text size="sm">This source has no API keys yet.</Text>
      ) : (
        <Paper withBorder radius="md">
          <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="API keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Key id</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>
                    <Code>{key.id}</Code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
                  <Table.Td>
                    {key.revokedAt ? (
                      <Badge color="gray" variant="light">
                        Revoked {formatDateTime(key.revokedAt)}
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">
                    {!key.revokedAt && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(key)}>
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Modal opened={issued !== undefined} onClose={() => setIssued(undefined)} title="New API key" size="lg">
        {issued && (
          <Stack gap="md">
            <Alert color="yellow" variant="light" icon={<IconKey size={18} />} title="Copy the key now">
              It is shown only this once. If it is lost, revoke it and create another.
            </Alert>
            <Group gap="xs" wrap="nowrap">
              <Code block style={{ flex: 1, wordBreak: 'break-all' }} aria-label="API key">
                {issued.key}
              </Code>
              <CopyButton value={issued.key}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? 'Copied' : 'Copy the key'} withArrow>
                    <Button
                      variant={copied ? 'light' : 'default'}
                      {...(copied ? { color: 'green' } : {})}
                      leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      onClick={copy}
                    >
                      {copied ? 'Copied' : 'Copy'}
                    </Button>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
            <Text size="sm" c="dimmed">
              Example:
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {`curl -X POST '${captureUrl}' \\\n  -H 'Authorization: Bearer ${issued.key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"email":"ana@example.com","lastName":"Silva"}'`}
            </Code>
            <Group justify="flex-end">
              <Button onClick={() => setIssued(undefined)}>Done</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <ConfirmModal
        opened={revoking !== undefined}
        title="Revoke the API key?"
        confirmLabel="Revoke"
        danger
        onClose={() => setRevoking(undefined)}
        onConfirm={async () => {
          if (!revoking) return;
          await api.revokeApiKey(source.id, revoking.id);
          notifications.show({ color: 'green', message: `API key ${revoking.id} is revoked.` });
          reload();
        }}
      >
        <Text size="sm">
          Requests with key <Code>{revoking?.id}</Code> are refused from now on (401). Leads it already
          delivered stay as they are.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}

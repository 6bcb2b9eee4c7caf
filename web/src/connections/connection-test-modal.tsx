import { Alert, Button, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { Connection, ConnectionTestResult } from '@contracts';
import type { ApiClientError } from '../api/api-client-error.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageLoader } from '../components/page-loader.js';

/** A test of one connection: running, its answer, or the error. */
export interface ConnectionTestRun {
  readonly connection: Connection;
  readonly result?: ConnectionTestResult;
  readonly error?: ApiClientError;
}

function FoundRow({ label, value }: { readonly label: string; readonly value: string | undefined }) {
  return (
    <Table.Tr>
      <Table.Th w={160} scope="row">
        {label}
      </Table.Th>
      <Table.Td>
        {value ? (
          <Text size="sm" ff="monospace">
            {value}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            Not reported
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** What `POST …/test` found: the application user, organisation and business unit, or why it failed. */
export function ConnectionTestModal({
  run,
  onClose,
}: {
  readonly run: ConnectionTestRun | undefined;
  readonly onClose: () => void;
}) {
  const result = run?.result;
  return (
    <Modal
      opened={run !== undefined}
      onClose={onClose}
      title={`Connection test: ${run?.connection.name ?? ''}`}
      size="lg"
    >
      <Stack gap="md">
        {run && !result && !run.error && (
          <PageLoader label="Signing in to Microsoft Entra ID and calling WhoAmI…" />
        )}
        {run?.error && <ErrorAlert title="The test could not run" error={run.error} />}
        {result && (
          <>
            <Alert
              color={result.ok ? 'green' : 'red'}
              variant="light"
              title={result.ok ? 'Connected' : 'The connection does not work'}
              icon={result.ok ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
              role={result.ok ? 'status' : 'alert'}
            >
              {result.message}
            </Alert>
            {result.ok && (
              <Table variant="vertical" withTableBorder layout="fixed" aria-label="What the test found">
                <Table.Tbody>
                  <FoundRow label="User" value={result.userFullName ?? result.userId} />
                  {result.userFullName && <FoundRow label="User ID" value={result.userId} />}
                  <FoundRow label="Organisation" value={result.organizationId} />
                  <FoundRow label="Business unit" value={result.businessUnitId} />
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

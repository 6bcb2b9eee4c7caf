import { List, Text } from '@mantine/core';
import type { Connection } from '@contracts';
import { ConfirmModal } from '../components/confirm-modal.js';

interface DisconnectConnectionModalProps {
  readonly connection: Connection | undefined;
  readonly onConfirm: (connection: Connection) => Promise<void>;
  readonly onClose: () => void;
}

/** Says exactly what disconnecting deletes (DELETE /api/v1/connections/:id) and what it leaves alone. */
export function DisconnectConnectionModal({
  connection,
  onConfirm,
  onClose,
}: DisconnectConnectionModalProps) {
  return (
    <ConfirmModal
      opened={connection !== undefined}
      title={`Disconnect ${connection?.name ?? ''}?`}
      confirmLabel="Disconnect"
      danger
      onConfirm={() => (connection ? onConfirm(connection) : Promise.resolve())}
      onClose={onClose}
    >
      <Text size="sm">Leadbridge deletes, for good:</Text>
      <List size="sm" spacing={4}>
        <List.Item>the connection to {connection?.environmentUrl ?? 'this environment'};</List.Item>
        <List.Item>
          its stored credentials (client secret, or certificate and private key) and cached tokens;
        </List.Item>
        <List.Item>its CRM settings: lead creation, contact creation and the Lead Source.</List.Item>
      </List>
      <Text size="sm">
        Nothing is deleted in Dynamics 365: leads and contacts already created there stay. To use the
        environment again, add it again. To pause it instead, use Revoke.
      </Text>
      {connection?.isPrimary && (
        <Text size="sm" fw={500}>
          This is the primary connection; make another connection primary so new leads keep flowing.
        </Text>
      )}
    </ConfirmModal>
  );
}

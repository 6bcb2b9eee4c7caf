import { Text } from '@mantine/core';
import type { Connection } from '@contracts';
import { ConfirmModal } from '../components/confirm-modal.js';

interface RevokeConnectionModalProps {
  readonly connection: Connection | undefined;
  readonly onConfirm: (connection: Connection) => Promise<void>;
  readonly onClose: () => void;
}

export function RevokeConnectionModal({ connection, onConfirm, onClose }: RevokeConnectionModalProps) {
  return (
    <ConfirmModal
      opened={connection !== undefined}
      title={`Revoke ${connection?.name ?? ''}?`}
      confirmLabel="Revoke"
      danger
      onConfirm={() => (connection ? onConfirm(connection) : Promise.resolve())}
      onClose={onClose}
    >
      <Text size="sm">
        Leadbridge stops sending anything to {connection?.environmentUrl ?? 'this environment'}. The
        connection, its credentials and its CRM settings are kept, so it can be edited and tested again later.
      </Text>
    </ConfirmModal>
  );
}

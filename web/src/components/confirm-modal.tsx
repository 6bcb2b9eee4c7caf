import { type ReactNode, useState } from 'react';
import { Button, Group, Modal, Stack } from '@mantine/core';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { ErrorAlert } from './error-alert.js';

interface ConfirmModalProps {
  readonly opened: boolean;
  readonly title: string;
  /** What will happen, in plain words: what is kept, what is deleted. */
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}

/** Asks before a destructive action and keeps the dialog open with the error if the action fails. */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  danger,
  onConfirm,
  onClose,
}: ConfirmModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiClientError>();

  const close = () => {
    setError(undefined);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      close();
    } catch (failure) {
      setError(toApiClientError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={title} size="md" centered>
      <Stack gap="md">
        {children}
        {error && <ErrorAlert title={`${confirmLabel} failed`} error={error} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button {...(danger ? { color: 'red' } : {})} loading={busy} onClick={() => void confirm()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

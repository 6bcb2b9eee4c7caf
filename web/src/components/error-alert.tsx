import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ApiClientError } from '../api/api-client-error.js';

interface ErrorAlertProps {
  readonly title: string;
  readonly error: ApiClientError;
  readonly onRetry?: () => void;
}

/** An API failure in plain words, with its code for whoever reads the logs, and a retry where it helps. */
export function ErrorAlert({ title, error, onRetry }: ErrorAlertProps) {
  return (
    <Alert color="red" variant="light" title={title} icon={<IconAlertTriangle size={18} />} role="alert">
      <Text size="sm">{error.message}</Text>
      <Group justify="space-between" mt="xs" gap="xs">
        <Text size="xs" c="dimmed">
          Error code: {error.code}
        </Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}

import { Center, Container } from '@mantine/core';
import type { ApiClientError } from '../api/api-client-error.js';
import { ErrorAlert } from './error-alert.js';

/** When Leadbridge cannot even tell whether someone is signed in. */
export function FullPageError({
  error,
  onRetry,
}: {
  readonly error: ApiClientError;
  readonly onRetry: () => void;
}) {
  return (
    <Center mih="100vh" p="md">
      <Container size={480} w="100%">
        <ErrorAlert title="Leadbridge could not start" error={error} onRetry={onRetry} />
      </Container>
    </Center>
  );
}

import { useState } from 'react';
import {
  Button,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import type { Connection, CreateConnectionRequest } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';

type AuthKind = Connection['authKind'];

interface AddConnectionValues {
  name: string;
  environmentUrl: string;
  tenantId: string;
  clientId: string;
  authKind: AuthKind;
  clientSecret: string;
  certificatePem: string;
  privateKeyPem: string;
  isPrimary: boolean;
}

const FIELDS = [
  'name',
  'environmentUrl',
  'tenantId',
  'clientId',
  'clientSecret',
  'certificatePem',
  'privateKeyPem',
  'isPrimary',
] as const;

function requestFrom(values: AddConnectionValues): CreateConnectionRequest {
  const common = {
    name: values.name,
    environmentUrl: values.environmentUrl,
    tenantId: values.tenantId.trim(),
    clientId: values.clientId.trim(),
    isPrimary: values.isPrimary,
  };
  // Empty credentials are left out, so the API names what is missing.
  if (values.authKind === 'client_secret')
    return { ...common, ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}) };
  return {
    ...common,
    ...(values.certificatePem.trim() ? { certificatePem: values.certificatePem.trim() } : {}),
    ...(values.privateKeyPem.trim() ? { privateKeyPem: values.privateKeyPem.trim() } : {}),
  };
}

interface AddConnectionModalProps {
  readonly opened: boolean;
  /** Whether this is the first connection: it becomes the primary one. */
  readonly first: boolean;
  readonly onClose: () => void;
  readonly onAdded: (connection: Connection) => void;
}

/** The app registration and environment of a new Dynamics 365 connection; the API validates every field. */
export function AddConnectionModal({ opened, first, onClose, onAdded }: AddConnectionModalProps) {
  const { api } = useSession();
  const [error, setError] = useState<ApiClientError>();
  const [busy, setBusy] = useState(false);
  const form = useForm<AddConnectionValues>({
    initialValues: {
      name: '',
      environmentUrl: '',
      tenantId: '',
      clientId: '',
      authKind: 'client_secret',
      clientSecret: '',
      certificatePem: '',
      privateKeyPem: '',
      isPrimary: first,
    },
    // Only "is it filled in" here; every other rule is the API's (the contract's messages come back by field).
    validate: {
      name: isNotEmpty('Enter a name people will recognise.'),
      environmentUrl: isNotEmpty('Enter the environment URL, e.g. https://contoso.crm.dynamics.com.'),
      tenantId: isNotEmpty('Enter the Directory (tenant) ID of the app registration.'),
      clientId: isNotEmpty('Enter the Application (client) ID of the app registration.'),
      clientSecret: (value, values) =>
        values.authKind === 'client_secret' && !value ? 'Enter the client secret.' : null,
      certificatePem: (value, values) =>
        values.authKind === 'certificate' && !value.trim() ? 'Paste the certificate (PEM).' : null,
      privateKeyPem: (value, values) =>
        values.authKind === 'certificate' && !value.trim() ? 'Paste the private key (PEM).' : null,
    },
  });
  const authKind = form.values.authKind;

  const close = () => {
    form.reset();
    setError(undefined);
    onClose();
  };

  const submit = async (values: AddConnectionValues) => {
    setBusy(true);
    setError(undefined);
    try {
      const connection = await api.createConnection(requestFrom(values));
      form.reset();
      onAdded(connection);
    } catch (failure) {
      const apiError = toApiClientError(failure);
      // "Give either a client secret, or a certificate…" names clientSecret, hidden in certificate mode;
      // an environment URL that is not Dynamics 365 comes back as crm_url_invalid without a field.
      const field =
        apiError.field === 'clientSecret' && values.authKind === 'certificate'
          ? 'certificatePem'
          : apiError.code === 'crm_url_invalid'
            ? (apiError.field ?? 'environmentUrl')
            : apiError.field;
      const shown = applyFieldError(apiError, FIELDS, form.setFieldError, field);
      if (!shown) setError(apiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title="Add a Dynamics 365 connection" size="lg">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Register an app in Microsoft Entra ID, add it as an application user in the environment, then
            enter its details here. Secrets are stored encrypted and never shown again.
          </Text>
          {error && <ErrorAlert title="The connection was not added" error={error} />}
          <TextInput label="Name" placeholder="Contoso production" required {...form.getInputProps('name')} />
          <TextInput
            label="Environment URL"
            placeholder="https://contoso.crm.dynamics.com"
            required
            {...form.getInputProps('environmentUrl')}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Tenant ID"
              placeholder="00000000-0000-0000-0000-000000000000"
              required
              {...form.getInputProps('tenantId')}
            />
            <TextInput
              label="Client ID"
              description="The app registration's Application (client) ID."
              placeholder="00000000-0000-0000-0000-000000000000"
              required
              {...form.getInputProps('clientId')}
            />
          </SimpleGrid>
          <Stack gap={6}>
            <Text size="sm" fw={500} id="auth-kind-label">
              Authentication
            </Text>
            <SegmentedControl
              aria-labelledby="auth-kind-label"
              data={[
                { value: 'client_secret', label: 'Client secret' },
                { value: 'certificate', label: 'Certificate' },
              ]}
              {...form.getInputProps('authKind')}
            />
          </Stack>
          {authKind === 'client_secret' ? (
            <PasswordInput
              label="Client secret"
              required
              autoComplete="off"
              {...form.getInputProps('clientSecret')}
            />
          ) : (
            <>
              <Textarea
                label="Certificate"
                description="The public certificate uploaded to the app registration, in PEM format."
                placeholder="-----BEGIN CERTIFICATE-----"
                autosize
                minRows={3}
                maxRows={8}
                required
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                {...form.getInputProps('certificatePem')}
              />
              <Textarea
                label="Private key"
                description="The certificate's private key, in PEM format."
                placeholder="-----BEGIN PRIVATE KEY-----"
                autosize
                minRows={3}
                maxRows={8}
                required
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                {...form.getInputProps('privateKeyPem')}
              />
            </>
          )}
          <Switch
            label="Primary connection"
            description="New leads go to the primary environment."
            {...form.getInputProps('isPrimary', { type: 'checkbox' })}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Add connection
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

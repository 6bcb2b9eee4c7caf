import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import type { InviteUserRequest, User } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { ErrorAlert } from '../components/error-alert.js';
import { useSession } from '../session/session-context.js';
import { RoleSelect } from './role-select.js';

const FIELDS = ['email', 'displayName', 'role', 'password'] as const;

interface InviteUserModalProps {
  readonly onClose: () => void;
  readonly onInvited: (user: User) => void;
}

/** A new user with a role and a first password, which the admin hands over themselves. */
export function InviteUserModal({ onClose, onInvited }: InviteUserModalProps) {
  const { api } = useSession();
  const [error, setError] = useState<ApiClientError>();
  const [busy, setBusy] = useState(false);
  const form = useForm<InviteUserRequest>({
    initialValues: { email: '', displayName: '', role: 'salesperson', password: '' },
    validate: {
      displayName: isNotEmpty('Enter their name.'),
      email: isNotEmpty('Enter their email.'),
      password: isNotEmpty('Choose a first password of at least 12 characters.'),
    },
  });

  const submit = async (values: InviteUserRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      onInvited(await api.inviteUser({ ...values, email: values.email.trim() }));
    } catch (failure) {
      const apiError = toApiClientError(failure);
      if (!applyFieldError(apiError, FIELDS, form.setFieldError)) setError(apiError);
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="Invite a user" size="md">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Give the person their email and first password yourself; they can change the password after
            signing in.
          </Text>
          {error && <ErrorAlert title="The user was not invited" error={error} />}
          <TextInput label="Name" autoComplete="off" required {...form.getInputProps('displayName')} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            required
            {...form.getInputProps('email')}
          />
          <RoleSelect
            label="Role"
            value={form.values.role}
            onChange={(role) => form.setFieldValue('role', role)}
            description="Admins manage everything; lead-gen admins run lead generation; salespeople work their leads."
          />
          <PasswordInput
            label="First password"
            description="At least 12 characters."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Invite user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

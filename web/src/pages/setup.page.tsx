import { useState } from 'react';
import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import type { SessionResponse, SetupRequest } from '@contracts';
import type { ApiClient } from '../api/api-client.js';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { AuthCard } from '../components/auth-card.js';
import { ErrorAlert } from '../components/error-alert.js';

interface SetupPageProps {
  readonly api: ApiClient;
  readonly onSignedIn: (session: SessionResponse) => void;
}

/** First run: no user exists yet, so whoever opens Leadbridge first creates the admin account. */
export function SetupPage({ api, onSignedIn }: SetupPageProps) {
  const [error, setError] = useState<ApiClientError>();
  const [busy, setBusy] = useState(false);
  const form = useForm<SetupRequest>({
    initialValues: { email: '', displayName: '', password: '' },
    validate: {
      displayName: isNotEmpty('Enter your name.'),
      email: isNotEmpty('Enter your email.'),
      password: isNotEmpty('Choose a password of at least 12 characters.'),
    },
  });

  const submit = async (values: SetupRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.setup({ ...values, email: values.email.trim() }));
    } catch (failure) {
      const apiError = toApiClientError(failure);
      if (!applyFieldError(apiError, ['email', 'displayName', 'password'], form.setFieldError))
        setError(apiError);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Welcome to Leadbridge"
      subtitle="Create the first admin account. You can invite everyone else from the Users page afterwards."
    >
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          {error && <ErrorAlert title="The admin account was not created" error={error} />}
          <TextInput
            label="Your name"
            autoComplete="name"
            required
            autoFocus
            {...form.getInputProps('displayName')}
          />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            description="At least 12 characters."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={busy} fullWidth mt="xs">
            Create admin and sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

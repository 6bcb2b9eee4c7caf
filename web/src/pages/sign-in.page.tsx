import { useState } from 'react';
import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import type { LoginRequest, SessionResponse } from '@contracts';
import type { ApiClient } from '../api/api-client.js';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { applyFieldError } from '../api/apply-field-error.js';
import { AuthCard } from '../components/auth-card.js';
import { ErrorAlert } from '../components/error-alert.js';

interface SignInPageProps {
  readonly api: ApiClient;
  readonly onSignedIn: (session: SessionResponse) => void;
  /** Why the user is here again, e.g. an expired session. */
  readonly notice?: string;
}

export function SignInPage({ api, onSignedIn, notice }: SignInPageProps) {
  const [error, setError] = useState<ApiClientError>();
  const [busy, setBusy] = useState(false);
  const form = useForm<LoginRequest>({
    initialValues: { email: '', password: '' },
    validate: { email: isNotEmpty('Enter your email.'), password: isNotEmpty('Enter your password.') },
  });

  const submit = async (values: LoginRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.signIn({ email: values.email.trim(), password: values.password }));
    } catch (failure) {
      const apiError = toApiClientError(failure);
      if (!applyFieldError(apiError, ['email', 'password'], form.setFieldError)) setError(apiError);
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Sign in" subtitle="Use the email and password your Leadbridge admin gave you.">
      <form onSubmit={form.onSubmit((values) => void submit(values))} noValidate>
        <Stack gap="md">
          {notice && !error && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {notice}
            </Alert>
          )}
          {error && <ErrorAlert title="Sign-in failed" error={error} />}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={busy} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

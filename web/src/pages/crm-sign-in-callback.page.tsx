import { useEffect } from 'react';
import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconCircleCheck } from '@tabler/icons-react';
import { Link, useLocation, useNavigate } from 'react-router';
import { CRM_SIGN_IN_CALLBACK_PATH, type UserSignInResult } from '@contracts';
import type { ApiClient } from '../api/api-client.js';
import { ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { ErrorAlert } from '../components/error-alert.js';
import { PageHeader } from '../components/page-header.js';
import { PageLoader } from '../components/page-loader.js';
import { useSession } from '../session/session-context.js';

/** Kept in the history entry (structured-clone safe), so a reload shows it instead of replaying the code. */
type Outcome =
  | { readonly kind: 'signed_in'; readonly result: UserSignInResult }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string; readonly status: number };

// StrictMode runs effects twice and the API accepts a state once: one completion per state, shared.
const completions = new Map<string, Promise<Outcome>>();

function completeOnce(api: ApiClient, state: string, code: string): Promise<Outcome> {
  let completion = completions.get(state);
  if (!completion) {
    completion = api.completeCrmSignIn(state, code).then(
      (result): Outcome => ({ kind: 'signed_in', result }),
      (error: unknown): Outcome => {
        const failure = toApiClientError(error);
        return { kind: 'failed', code: failure.code, message: failure.message, status: failure.status };
      },
    );
    completions.set(state, completion);
  }
  return completion;
}

const FAILURE_TITLES: Readonly<Record<string, string>> = {
  crm_wrong_environment: 'That account belongs to another Dynamics 365 environment',
  invalid_body: 'This sign-in cannot be finished',
};

/**
 * Where Microsoft Entra ID sends the browser back (`?code=&state=`, or `?error=&error_description=`):
 * posts code and state to the API and says who the person is in Dynamics 365 now, or why not.
 */
export function CrmSignInCallbackPage() {
  const { api } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const kept = (location.state as { crmSignIn?: Outcome } | null)?.crmSignIn;
  const params = new URLSearchParams(location.search);
  const state = params.get('state');
  const code = params.get('code');
  const entraError = params.get('error');

  useEffect(() => {
    if (kept || !state || !code) return;
    let current = true;
    void completeOnce(api, state, code).then((outcome) => {
      if (current) void navigate(CRM_SIGN_IN_CALLBACK_PATH, { replace: true, state: { crmSignIn: outcome } });
    });
    return () => {
      current = false;
    };
  }, [api, kept, state, code, navigate]);

  let body;
  if (kept?.kind === 'signed_in') body = <SignedIn result={kept.result} />;
  else if (kept?.kind === 'failed')
    body = (
      <ErrorAlert
        title={FAILURE_TITLES[kept.code] ?? 'The Dynamics 365 sign-in did not complete'}
        error={new ApiClientError(kept.code, kept.message, kept.status)}
      />
    );
  else if (entraError)
    body = (
      <ErrorAlert
        title="Microsoft Entra ID did not sign you in"
        // Entra appends trace and correlation ids on further lines; the first line says what happened.
        error={
          new ApiClientError(
            entraError,
            (params.get('error_description') ?? entraError).split(/\r?\n/)[0] ?? entraError,
            0,
          )
        }
      />
    );
  else if (state && code) body = <PageLoader label="Finishing your Dynamics 365 sign-in…" />;
  else
    body = (
      <Text size="sm" c="dimmed">
        There is no sign-in to finish here. Start one from the Connections page.
      </Text>
    );

  return (
    <>
      <PageHeader
        title="Dynamics 365 sign-in"
        description="Your own sign-in to a connected Dynamics 365 environment."
      />
      <Stack gap="md" maw={720}>
        {body}
        <Group>
          <Button
            component={Link}
            to="/connections"
            variant="default"
            leftSection={<IconArrowLeft size={16} />}
          >
            Back to Connections
          </Button>
        </Group>
      </Stack>
    </>
  );
}

function SignedIn({ result }: { readonly result: UserSignInResult }) {
  return (
    <Paper withBorder radius="md" p={0}>
      <Alert
        color="green"
        variant="light"
        title="Signed in to Dynamics 365"
        icon={<IconCircleCheck size={18} />}
        role="status"
      >
        <Text size="sm">
          Signed in as {result.crmUserName ?? result.crmUserId} in {result.connection.name}
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          Organisation {result.organizationId} · {result.connection.environmentUrl}
        </Text>
      </Alert>
    </Paper>
  );
}

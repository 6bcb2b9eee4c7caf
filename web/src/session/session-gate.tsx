import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { notifications } from '@mantine/notifications';
import { useNavigate } from 'react-router';
import type { CurrentUser, SessionResponse } from '@contracts';
import type { ApiClient } from '../api/api-client.js';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import { FullPageError } from '../components/full-page-error.js';
import { PageLoader } from '../components/page-loader.js';
import { SetupPage } from '../pages/setup.page.js';
import { SignInPage } from '../pages/sign-in.page.js';
import { type Session, SessionContext } from './session-context.js';

type GateState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed_out'; readonly needsSetup: boolean; readonly notice?: string }
  | { readonly kind: 'signed_in'; readonly user: CurrentUser }
  | { readonly kind: 'failed'; readonly error: ApiClientError };

/** Shows sign-in (or first-run setup) until there is a session, then the app with the session in context. */
export function SessionGate({ api, children }: { readonly api: ApiClient; readonly children: ReactNode }) {
  const [state, setState] = useState<GateState>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);
  const navigate = useNavigate();

  useEffect(() => {
    let current = true;
    (async (): Promise<GateState> => {
      const session = await api.currentSession();
      if (session) return { kind: 'signed_in', user: session.user };
      const { needsSetup } = await api.setupStatus();
      return { kind: 'signed_out', needsSetup };
    })().then(
      (next) => current && setState(next),
      (error: unknown) => current && setState({ kind: 'failed', error: toApiClientError(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, attempt]);

  useEffect(
    () =>
      api.onSessionEnded(() =>
        setState({ kind: 'signed_out', needsSetup: false, notice: 'Your session has ended. Sign in again.' }),
      ),
    [api],
  );

  const signedIn = useCallback((session: SessionResponse) => {
    setState({ kind: 'signed_in', user: session.user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.signOut();
      // The next person to sign in starts on their own start page, not on a page of the last role.
      void navigate('/', { replace: true });
      setState({ kind: 'signed_out', needsSetup: false });
    } catch (error) {
      notifications.show({
        color: 'red',
        title: 'Sign-out failed',
        message: toApiClientError(error).message,
      });
    }
  }, [api, navigate]);

  const session = useMemo<Session | undefined>(
    () => (state.kind === 'signed_in' ? { user: state.user, api, signOut } : undefined),
    [state, api, signOut],
  );

  switch (state.kind) {
    case 'checking':
      return <PageLoader label="Loading Leadbridge…" fullPage />;
    case 'failed':
      return (
        <FullPageError
          error={state.error}
          onRetry={() => {
            setState({ kind: 'checking' });
            setAttempt((n) => n + 1);
          }}
        />
      );
    case 'signed_out':
      return state.needsSetup ? (
        <SetupPage api={api} onSignedIn={signedIn} />
      ) : (
        <SignInPage api={api} onSignedIn={signedIn} {...(state.notice ? { notice: state.notice } : {})} />
      );
    case 'signed_in':
      return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  }
}

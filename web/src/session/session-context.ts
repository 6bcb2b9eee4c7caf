import { createContext, useContext } from 'react';
import type { CurrentUser } from '@contracts';
import type { ApiClient } from '../api/api-client.js';

/** The signed-in user and the API client, for every page inside the shell. */
export interface Session {
  readonly user: CurrentUser;
  readonly api: ApiClient;
  readonly signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() is only available inside <SessionGate>.');
  return session;
}

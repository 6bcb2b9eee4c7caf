import { useMemo } from 'react';
import { useSession } from '../session/session-context.js';
import { type SourcesApi, sourcesApi } from './sources-api.js';
import { type SyncApi, syncApi } from './sync-api.js';

/** The lead-source endpoints over the session's API client (stable while the session lasts). */
export function useSourcesApi(): SourcesApi {
  const { api } = useSession();
  return useMemo(() => sourcesApi(api), [api]);
}

/** The sync, sync-log and matching-strategy endpoints over the session's API client. */
export function useSyncApi(): SyncApi {
  const { api } = useSession();
  return useMemo(() => syncApi(api), [api]);
}

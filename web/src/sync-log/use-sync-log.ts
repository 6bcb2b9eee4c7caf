import { useCallback, useState } from 'react';
import type { SyncLogEntryView, SyncLogPage } from '@contracts';
import { type ApiClientError, toApiClientError } from '../api/api-client-error.js';
import type { SyncLogFilter } from '../api/sync-api.js';
import { useApiResource } from '../api/use-api-resource.js';
import { useSyncApi } from '../api/use-feature-apis.js';

export interface SyncLogPages {
  readonly entries: readonly SyncLogEntryView[] | undefined;
  readonly hasMore: boolean;
  readonly loading: boolean;
  readonly loadingMore: boolean;
  readonly error: ApiClientError | undefined;
  readonly loadMore: () => void;
  readonly reload: () => void;
}

/**
 * The sync log under a filter, page by page with the server's keyset cursor (`next`): a new filter
 * or a reload starts again from the newest entry, "Load more" appends the next page.
 */
export function useSyncLog(filter: SyncLogFilter): SyncLogPages {
  const sync = useSyncApi();
  // Keyed by the filter's content, so a re-rendered but equal filter loads nothing again.
  const key = JSON.stringify(filter);
  const first = useApiResource(
    useCallback(() => sync.syncLog(JSON.parse(key) as SyncLogFilter), [sync, key]),
  );
  // Later pages belong to the first page they continue; a new first page drops them.
  const [more, setMore] = useState<{ readonly base: SyncLogPage; readonly pages: readonly SyncLogPage[] }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiClientError>();

  const pages = first.data ? [first.data, ...(more?.base === first.data ? more.pages : [])] : [];
  const last = pages.at(-1);

  const loadMore = () => {
    const base = first.data;
    const after = last?.next;
    if (!base || !after) return;
    setLoadingMore(true);
    setMoreError(undefined);
    sync.syncLog(filter, after).then(
      (page) => {
        setMore((current) => ({ base, pages: [...(current?.base === base ? current.pages : []), page] }));
        setLoadingMore(false);
      },
      (error: unknown) => {
        setMoreError(toApiClientError(error));
        setLoadingMore(false);
      },
    );
  };

  return {
    entries: first.data ? pages.flatMap((page) => page.entries) : undefined,
    hasMore: last?.next !== undefined,
    loading: first.loading,
    loadingMore,
    error: first.error ?? moreError,
    loadMore,
    reload: () => {
      setMoreError(undefined);
      first.reload();
    },
  };
}

import {
  dryRunResultSchema,
  replayResponseSchema,
  strategyListSchema,
  strategySchema,
  syncLogEntrySchema,
  syncLogPageSchema,
  syncStatusSchema,
  type CreateStrategyRequest,
  type DryRunRequest,
  type DryRunResult,
  type ReplayRequest,
  type Strategy,
  type SyncLogEntryView,
  type SyncLogPage,
  type SyncLogQuery,
  type SyncStatus,
} from '@contracts';
import type { ApiClient } from './api-client.js';

/** The sync log's filters as the page sets them; `limit` defaults on the server. */
export type SyncLogFilter = Omit<Partial<SyncLogQuery>, 'after'>;

/** The sync engine, its log, replays, dry runs and matching strategies (src/http/routes/sync.routes.ts). */
export interface SyncApi {
  syncStatus(): Promise<SyncStatus>;
  syncLog(filter: SyncLogFilter, after?: string): Promise<SyncLogPage>;
  syncLogEntry(id: string): Promise<SyncLogEntryView>;
  replay(request: ReplayRequest): Promise<number>;
  dryRun(request: DryRunRequest): Promise<DryRunResult>;
  listStrategies(): Promise<Strategy[]>;
  createStrategy(request: CreateStrategyRequest): Promise<Strategy>;
  activateStrategy(id: string): Promise<Strategy>;
  deleteStrategy(id: string): Promise<void>;
}

const strategyPath = (id: string): string => `/api/v1/matching-strategies/${encodeURIComponent(id)}`;

export function syncLogSearch(filter: SyncLogFilter, after?: string): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter))
    if (value !== undefined && value !== '') search.set(key, String(value));
  if (after) search.set('after', after);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function syncApi(api: ApiClient): SyncApi {
  return {
    syncStatus: () => api.call('GET', '/api/v1/sync/status', syncStatusSchema),
    syncLog: (filter, after) =>
      api.call('GET', `/api/v1/sync/log${syncLogSearch(filter, after)}`, syncLogPageSchema),
    syncLogEntry: (id) => api.call('GET', `/api/v1/sync/log/${encodeURIComponent(id)}`, syncLogEntrySchema),
    replay: async (body) =>
      (await api.call('POST', '/api/v1/sync/replay', replayResponseSchema, body)).requeued,
    dryRun: (body) => api.call('POST', '/api/v1/sync/dry-run', dryRunResultSchema, body),
    listStrategies: async () =>
      (await api.call('GET', '/api/v1/matching-strategies', strategyListSchema)).strategies,
    createStrategy: (body) => api.call('POST', '/api/v1/matching-strategies', strategySchema, body),
    activateStrategy: (id) => api.call('POST', `${strategyPath(id)}/activate`, strategySchema),
    deleteStrategy: async (id) => {
      await api.call('DELETE', strategyPath(id), undefined);
    },
  };
}

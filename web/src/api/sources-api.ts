import type { z } from 'zod';
import {
  type createSourceRequestSchema,
  crmColumnsSchema,
  issuedSourceApiKeySchema,
  mappingPreviewSchema,
  sourceApiKeyListSchema,
  sourceApiKeySchema,
  sourceListSchema,
  sourceSchema,
  type CrmColumns,
  type IssuedSourceApiKeyInfo,
  type MappingPreview,
  type MappingPreviewRequest,
  type Source,
  type SourceApiKeyInfo,
  type UpdateSourceRequest,
} from '@contracts';
import type { ApiClient } from './api-client.js';

export type CrmTableName = CrmColumns['table'];
/** What the page sends; the server fills the defaults (schedule, enabled). */
export type NewSourceRequest = z.input<typeof createSourceRequestSchema>;

/** Lead sources, their mappings and API keys (src/http/routes/source.routes.ts). */
export interface SourcesApi {
  listSources(): Promise<Source[]>;
  getSource(id: string): Promise<Source>;
  createSource(request: NewSourceRequest): Promise<Source>;
  updateSource(id: string, request: UpdateSourceRequest): Promise<Source>;
  deleteSource(id: string): Promise<void>;
  crmColumns(id: string, table: CrmTableName): Promise<CrmColumns>;
  previewMapping(id: string, request: MappingPreviewRequest): Promise<MappingPreview>;
  listApiKeys(id: string): Promise<SourceApiKeyInfo[]>;
  createApiKey(id: string): Promise<IssuedSourceApiKeyInfo>;
  revokeApiKey(id: string, keyId: string): Promise<SourceApiKeyInfo>;
}

export const sourcePath = (id: string): string => `/api/v1/sources/${encodeURIComponent(id)}`;

export function sourcesApi(api: ApiClient): SourcesApi {
  return {
    listSources: async () => (await api.call('GET', '/api/v1/sources', sourceListSchema)).sources,
    getSource: (id) => api.call('GET', sourcePath(id), sourceSchema),
    createSource: (body) => api.call('POST', '/api/v1/sources', sourceSchema, body),
    updateSource: (id, body) => api.call('PATCH', sourcePath(id), sourceSchema, body),
    deleteSource: async (id) => {
      await api.call('DELETE', sourcePath(id), undefined);
    },
    crmColumns: (id, table) => api.call('GET', `${sourcePath(id)}/crm-columns/${table}`, crmColumnsSchema),
    previewMapping: (id, body) =>
      api.call('POST', `${sourcePath(id)}/mapping-preview`, mappingPreviewSchema, body),
    listApiKeys: async (id) =>
      (await api.call('GET', `${sourcePath(id)}/api-keys`, sourceApiKeyListSchema)).keys,
    createApiKey: (id) => api.call('POST', `${sourcePath(id)}/api-keys`, issuedSourceApiKeySchema),
    revokeApiKey: (id, keyId) =>
      api.call('DELETE', `${sourcePath(id)}/api-keys/${encodeURIComponent(keyId)}`, sourceApiKeySchema),
  };
}

import { z } from 'zod';
import {
  createSourceRequestSchema,
  crmColumnsSchema,
  crmTableSchema,
  issuedSourceApiKeySchema,
  mappingPreviewRequestSchema,
  mappingPreviewSchema,
  sourceApiKeyListSchema,
  sourceApiKeySchema,
  sourceListSchema,
  sourceSchema,
  updateSourceRequestSchema,
} from '../../contracts/index.js';
import { defineRoute } from '../route-definition.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
/** Seed 001: lead-gen administrators own mappings, strategies and settings. */
const leadGenAdmins = ['admin', 'lead_gen_admin'] as const;

export const sourceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources',
    summary: 'List lead sources with their lead counts',
    access: 'signed_in',
    response: sourceListSchema,
    handler: async ({ services }) => ({ sources: await services.sources.list() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources',
    summary: 'Add a lead source (capture API, hosted form, CSV, partner feed)',
    access: leadGenAdmins,
    body: createSourceRequestSchema,
    response: sourceSchema,
    status: 201,
    handler: async ({ body, services, principal }) => services.sources.create(body, principal!),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id',
    summary: 'One lead source',
    access: 'signed_in',
    params: idParams,
    response: sourceSchema,
    handler: async ({ params, services }) => services.sources.get(params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/sources/:id',
    summary: "Change a source's fields, mappings (validated against the CRM), duplicates, owner or schedule",
    access: leadGenAdmins,
    params: idParams,
    body: updateSourceRequestSchema,
    response: sourceSchema,
    handler: async ({ params, body, services, principal }) =>
      services.sources.update(params.id, body, principal!),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/sources/:id',
    summary: 'Delete a source that has no leads waiting to sync',
    access: leadGenAdmins,
    params: idParams,
    handler: async ({ params, services, principal }) => services.sources.delete(params.id, principal!),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id/crm-columns/:table',
    summary: "The CRM table's columns from live metadata, for the mapping editor",
    access: leadGenAdmins,
    params: z.object({ id: z.string().min(1).max(64), table: crmTableSchema }),
    response: crmColumnsSchema,
    handler: async ({ params, services }) => services.sources.crmColumns(params.id, params.table),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:id/mapping-preview',
    summary: 'Validate a mapping against live CRM metadata and apply it to sample leads',
    access: leadGenAdmins,
    params: idParams,
    body: mappingPreviewRequestSchema,
    response: mappingPreviewSchema,
    handler: async ({ params, body, services }) => services.sources.previewMapping(params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sources/:id/api-keys',
    summary: "The source's API keys (never the keys themselves)",
    access: leadGenAdmins,
    params: idParams,
    response: sourceApiKeyListSchema,
    handler: async ({ params, services }) => ({ keys: await services.sources.listApiKeys(params.id) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:id/api-keys',
    summary: 'Create an API key for the capture API; the key is shown once',
    access: leadGenAdmins,
    params: idParams,
    response: issuedSourceApiKeySchema,
    status: 201,
    handler: async ({ params, services, principal }) => services.sources.createApiKey(params.id, principal!),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/sources/:id/api-keys/:keyId',
    summary: 'Revoke an API key',
    access: leadGenAdmins,
    params: z.object({ id: z.string().min(1).max(64), keyId: z.string().min(1).max(64) }),
    response: sourceApiKeySchema,
    handler: async ({ params, services, principal }) =>
      services.sources.revokeApiKey(params.id, params.keyId, principal!),
  }),
];

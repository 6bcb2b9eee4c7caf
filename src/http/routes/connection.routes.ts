import { z } from 'zod';
import {
  choiceOptionsSchema,
  connectionListSchema,
  connectionSchema,
  connectionTestResultSchema,
  createConnectionRequestSchema,
  crmSettingsSchema,
  updateConnectionRequestSchema,
  updateCrmSettingsRequestSchema,
} from '../../contracts/index.js';
import { defineRoute } from '../route-definition.js';

const idParams = z.object({ id: z.string().min(1).max(64) });
const admins = ['admin'] as const;
const everyone = ['admin', 'lead_gen_admin', 'salesperson'] as const;

export const connectionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/connections',
    summary: 'List Dynamics 365 connections with their status',
    access: everyone,
    response: connectionListSchema,
    handler: async ({ services }) => ({ connections: await services.connections.list() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections',
    summary: 'Add a Dynamics 365 environment (app registration + environment URL)',
    access: admins,
    body: createConnectionRequestSchema,
    response: connectionSchema,
    status: 201,
    handler: async ({ body, services, principal }) => services.connections.create(body, principal!),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/connections/:id',
    summary: 'One connection',
    access: everyone,
    params: idParams,
    response: connectionSchema,
    handler: async ({ params, services }) => services.connections.get(params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/connections/:id',
    summary: 'Rename, replace the client secret, or make primary',
    access: admins,
    params: idParams,
    body: updateConnectionRequestSchema,
    response: connectionSchema,
    handler: async ({ params, body, services, principal }) =>
      services.connections.update(params.id, body, principal!),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/:id/test',
    summary: 'Get a token and call WhoAmI; shows the user and organisation found',
    access: admins,
    params: idParams,
    response: connectionTestResultSchema,
    handler: async ({ params, services }) => services.connections.test(params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/:id/revoke',
    summary: 'Stop using a connection (kept, can be edited and re-tested)',
    access: admins,
    params: idParams,
    response: connectionSchema,
    handler: async ({ params, services, principal }) => services.connections.revoke(params.id, principal!),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/connections/:id',
    summary: 'Disconnect: delete the connection, its credentials, token caches and settings',
    access: admins,
    params: idParams,
    handler: async ({ params, services, principal }) => {
      await services.connections.disconnect(params.id, principal!);
      return undefined;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/connections/:id/settings',
    summary: 'CRM settings: lead and contact creation, lead source',
    access: ['admin', 'lead_gen_admin'],
    params: idParams,
    response: crmSettingsSchema,
    handler: async ({ params, services }) => services.connections.settings(params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/connections/:id/settings',
    summary: 'Change the CRM settings',
    access: admins,
    params: idParams,
    body: updateCrmSettingsRequestSchema,
    response: crmSettingsSchema,
    handler: async ({ params, body, services, principal }) =>
      services.connections.updateSettings(params.id, body, principal!),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/connections/:id/lead-sources',
    summary: "The environment's live lead source choices (lead.leadsourcecode)",
    access: ['admin', 'lead_gen_admin'],
    params: idParams,
    response: choiceOptionsSchema,
    handler: async ({ params, services }) => services.connections.leadSourceOptions(params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/:id/user-sign-in',
    summary: 'Start your own (delegated) sign-in to this environment; returns the Entra URL to open',
    access: everyone,
    params: idParams,
    body: z.strictObject({ redirectUri: z.url() }),
    response: z.object({ url: z.string() }),
    handler: async ({ params, body, services, principal }) =>
      services.connections.beginUserSignIn(params.id, principal!, body.redirectUri),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/user-sign-in/complete',
    summary: 'Finish the delegated sign-in with the code Entra returned',
    access: everyone,
    body: z.strictObject({ state: z.string().min(1).max(512), code: z.string().min(1).max(8192) }),
    response: connectionSchema,
    handler: async ({ body, services, principal }) =>
      services.connections.completeUserSignIn(body.state, body.code, principal!),
  }),
];

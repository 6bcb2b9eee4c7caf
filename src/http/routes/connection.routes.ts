import { z } from 'zod';
import {
  beginUserSignInRequestSchema,
  beginUserSignInResponseSchema,
  choiceOptionsSchema,
  completeUserSignInRequestSchema,
  connectionListSchema,
  connectionSchema,
  connectionTestResultSchema,
  createConnectionRequestSchema,
  crmSettingsSchema,
  updateConnectionRequestSchema,
  myCrmSignInListSchema,
  updateCrmSettingsRequestSchema,
  userSignInResultSchema,
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
    method: 'GET',
    url: '/api/v1/connections/user-sign-ins',
    summary: 'Your own (delegated) sign-ins: the connections you are signed in to as yourself',
    access: everyone,
    response: myCrmSignInListSchema,
    handler: async ({ services, principal }) => services.connections.myCrmSignIns(principal!),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/:id/user-sign-in',
    summary:
      'Start your own (delegated) sign-in to this environment; returns the Entra URL to open. ' +
      'Finish within 10 minutes at …/user-sign-in/complete with the code and state Entra returned.',
    access: everyone,
    params: idParams,
    body: beginUserSignInRequestSchema,
    response: beginUserSignInResponseSchema,
    handler: async ({ params, body, services, principal }) =>
      services.connections.beginUserSignIn(params.id, principal!, body.redirectUri),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/connections/user-sign-in/complete',
    summary:
      'Finish the delegated sign-in with the code Entra returned; refused (crm_wrong_environment) when ' +
      "the account belongs to another organisation than the connection's",
    access: everyone,
    body: completeUserSignInRequestSchema,
    response: userSignInResultSchema,
    handler: async ({ body, services, principal }) =>
      services.connections.completeUserSignIn(body.state, body.code, principal!),
  }),
];

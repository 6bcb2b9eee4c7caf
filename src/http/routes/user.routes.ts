import { z } from 'zod';
import {
  inviteUserRequestSchema,
  updateUserRequestSchema,
  userListSchema,
  userSchema,
} from '../../contracts/index.js';
import { defineRoute } from '../route-definition.js';

const idParams = z.object({ id: z.string().min(1).max(64) });

export const userRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/users',
    summary: 'List users with their roles and CRM sign-ins',
    access: ['admin'],
    response: userListSchema,
    handler: async ({ services }) => ({ users: await services.users.list() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/users',
    summary: 'Invite a user with a role and a first password',
    access: ['admin'],
    body: inviteUserRequestSchema,
    response: userSchema,
    status: 201,
    handler: async ({ body, services, principal }) => services.users.invite(body, principal!),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/users/:id',
    summary: "Change a user's role, or disable them",
    access: ['admin'],
    params: idParams,
    body: updateUserRequestSchema,
    response: userSchema,
    handler: async ({ params, body, services, principal }) =>
      services.users.update(params.id, body, principal!),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/users/:id/crm-sign-ins/:connectionId',
    summary: "Revoke a user's delegated sign-in to a Dynamics 365 environment",
    access: ['admin'],
    params: z.object({ id: z.string().min(1).max(64), connectionId: z.string().min(1).max(64) }),
    handler: async ({ params, services, principal }) => {
      await services.users.revokeCrmSignIn(params.id, params.connectionId, principal!);
      return undefined;
    },
  }),
];

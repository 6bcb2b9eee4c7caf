import { z } from 'zod';
import {
  loginRequestSchema,
  sessionResponseSchema,
  setupRequestSchema,
  setupStatusSchema,
} from '../../contracts/index.js';
import { LeadbridgeError } from '../../shared/errors.js';
import { SESSION_COOKIE, clearSessionCookie, setSessionCookie } from '../session-cookie.js';
import { defineRoute } from '../route-definition.js';

export const sessionRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/setup',
    summary: 'Whether the first admin still has to be created',
    access: 'public',
    response: setupStatusSchema,
    handler: async ({ services }) => ({ needsSetup: await services.auth.needsSetup() }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/setup',
    summary: 'Create the first admin (only while no user exists) and sign in',
    access: 'public',
    body: setupRequestSchema,
    response: sessionResponseSchema,
    status: 201,
    handler: async ({ body, services, reply }) => {
      const grant = await services.auth.setup(body);
      setSessionCookie(reply, grant);
      return { user: grant.user, csrfToken: grant.csrfToken };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/session',
    summary: 'Sign in with email and password',
    access: 'public',
    body: loginRequestSchema,
    response: sessionResponseSchema,
    handler: async ({ body, services, reply, request }) => {
      const grant = await services.auth.login(body.email, body.password, request.ip);
      setSessionCookie(reply, grant);
      return { user: grant.user, csrfToken: grant.csrfToken };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/session',
    summary: 'The signed-in user and the CSRF token',
    access: 'signed_in',
    response: sessionResponseSchema,
    handler: async ({ principal }) => {
      if (!principal?.user || !principal.csrfToken)
        throw new LeadbridgeError('unauthenticated', 'This needs a browser session.');
      return { user: principal.user, csrfToken: principal.csrfToken };
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/session',
    summary: 'Sign out',
    access: 'signed_in',
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ request, reply, services }) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await services.auth.logout(token);
      clearSessionCookie(reply);
      return { ok: true as const };
    },
  }),
];

import { z } from 'zod';
import { defineRoute } from '../route-definition.js';

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    url: '/healthz',
    summary: 'Liveness: the process answers',
    access: 'public',
    response: z.object({ ok: z.literal(true) }),
    handler: async () => ({ ok: true as const }),
  }),
  defineRoute({
    method: 'GET',
    url: '/readyz',
    summary: 'Readiness: the database and workers are usable',
    access: 'public',
    response: z.object({ ok: z.boolean(), checks: z.record(z.string(), z.string()) }),
    handler: async ({ services, reply }) => {
      const result = await services.health.ready();
      if (!result.ok) void reply.code(503);
      return result;
    },
  }),
];

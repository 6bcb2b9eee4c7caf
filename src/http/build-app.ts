import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { LeadbridgeError } from '../shared/errors.js';
import type { AppServices, Principal } from './app-services.js';
import { buildOpenApiDocument } from './openapi-document.js';
import type { RouteDefinition } from './route-definition.js';
import { registerHostedForms } from './hosted-form/hosted-form.routes.js';
import { allRoutes } from './routes/index.js';
import { SESSION_COOKIE } from './session-cookie.js';

export interface BuildAppOptions {
  readonly services: AppServices;
  /** The built web UI (index.html + assets); the API runs without it. */
  readonly webRoot?: string;
  readonly logger?: boolean | { level: string };
  /** Largest accepted request body (bytes). */
  readonly bodyLimit?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Builds the HTTP app without listening (Fastify's pattern: tests use `inject`, only the CLI listens).
 * Every route comes from a declaration (route-definition.ts): its input is parsed with zod, its roles
 * are checked, browser sessions must send the CSRF token on writes, and errors come back as
 * `{ "error": { "code", "message" } }` with the catalogue's status.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
  });
  await app.register(fastifyCookie);

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof LeadbridgeError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      const field = error instanceof InputError ? error.field : undefined;
      return sendError(reply, error.status, error.code, error.message, field);
    }
    // Fastify's own client errors: malformed JSON, oversized or unsupported bodies.
    if (error.statusCode === 413)
      return sendError(
        reply,
        413,
        'payload_too_large',
        'The request body is too large (the limit is 1 MiB).',
      );
    if (error.statusCode === 415)
      return sendError(reply, 415, 'invalid_body', 'Send the body as application/json.');
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      return sendError(reply, error.statusCode, 'invalid_body', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, 'internal', 'An unexpected error occurred.');
  });

  // CSV imports stream their body to the reader: it never sits in memory, whatever its size.
  app.addContentTypeParser(['text/csv', 'application/csv'], (_request, payload, done) => done(null, payload));

  app.addHook('onRequest', async (request) => {
    // Capture endpoints carry a source's API key, checked by the route itself.
    if ((request.routeOptions.config as unknown as RouteConfig | undefined)?.access === 'source_key') return;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const cookie = request.cookies[SESSION_COOKIE];
    const principal = bearer
      ? await options.services.auth.resolveApiToken(bearer)
      : cookie
        ? await options.services.auth.resolveSession(cookie)
        : undefined;
    if (principal) request.principal = principal;
  });

  for (const route of allRoutes) registerRoute(app, route, options.services);
  await registerHostedForms(app, options.services);
  const openApi = buildOpenApiDocument(allRoutes);
  app.get('/api/v1/openapi.json', async () => openApi);

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false });
    // The UI is a single-page app: unknown non-API paths get index.html.
    app.setNotFoundHandler((request, reply) => {
      if (request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
      return sendError(reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      sendError(reply, 404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
    );
  }
  return app;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string, field?: string) {
  return reply.code(status).send({ error: { code, message, ...(field ? { field } : {}) } });
}

function registerRoute(app: FastifyInstance, route: RouteDefinition, services: AppServices): void {
  app.route({
    method: route.method,
    url: route.url,
    config: { access: route.access } satisfies RouteConfig,
    handler: async (request, reply) => {
      const principal = authorize(route, request);
      if (route.access === 'source_key') await authenticateSourceKey(request, services);
      const body = parseInput(route.body, request.body, 'body');
      const params = parseInput(route.params, request.params, 'params');
      const query = parseInput(route.query, request.query, 'query');
      const result = await route.handler({ body, params, query, principal, request, reply, services });
      if (route.response === undefined) return reply.code(204).send();
      return reply.code(reply.statusCode !== 200 ? reply.statusCode : (route.status ?? 200)).send(result);
    },
  });
}

/** Role check plus CSRF: a cookie-authenticated write must carry the session's token in `x-csrf-token`. */
function authorize(route: RouteDefinition, request: FastifyRequest): Principal | undefined {
  if (route.access === 'public') return request.principal;
  if (route.access === 'source_key') return undefined;
  const principal = request.principal;
  if (!principal) throw new LeadbridgeError('unauthenticated');
  if (route.access !== 'signed_in' && !route.access.includes(principal.role))
    throw new LeadbridgeError('forbidden', `This needs the role ${route.access.join(' or ')}.`);
  if (principal.kind === 'session' && UNSAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || sent !== principal.csrfToken) throw new LeadbridgeError('csrf_failed');
  }
  return principal;
}

interface RouteConfig {
  readonly access: RouteDefinition['access'];
}

/** `Authorization: Bearer <key>`, or `?key=` for senders that cannot set headers (the marketplace). */
async function authenticateSourceKey(request: FastifyRequest, services: AppServices): Promise<void> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  const query = (request.query as Record<string, unknown> | undefined)?.['key'];
  const sourceId = (request.params as Record<string, string | undefined>)['sourceId'] ?? '';
  await services.capture.authenticate(sourceId, bearer ?? (typeof query === 'string' ? query : undefined));
}

class InputError extends LeadbridgeError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('invalid_body', message);
  }
}

function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || where;
  throw new InputError(`${field}: ${issue?.message ?? 'invalid'}`, field);
}

import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerBase,
} from 'fastify';
import { aadsts } from './aadsts-catalog.js';
import { handleAuthorizeRequest, handleSignInSubmission } from './authorize-endpoint.js';
import type { RevocationSubject } from './credential-revocations.js';
import { htmlResponse, jsonResponse, redirectResponse, type EndpointResponse } from './endpoint-response.js';
import {
  createEntraContext,
  requestIds,
  type EntraContext,
  type EntraServiceOptions,
} from './entra-context.js';
import { openIdConfiguration } from './openid-configuration.js';
import { renderSignedOutPage } from './sign-in-page.js';
import { jwksDocument } from './signing-keys.js';
import { resolveTenantPath } from './tenant-path.js';
import { errorResponse, handleTokenRequest, tokenEndpointMethodNotAllowed } from './token-endpoint.js';
import { idTokenIssuer } from './token-issuers.js';

/**
 * Registers Entra ID's v2.0 endpoints on the emulator's Fastify instance, tenant in the path as in
 * https://login.microsoftonline.com/{tenant}/...:
 *
 *   GET      /{tenant}/v2.0/.well-known/openid-configuration
 *   GET      /{tenant}/discovery/v2.0/keys        (and the v1 alias /{tenant}/discovery/keys)
 *   POST     /{tenant}/oauth2/v2.0/token          (other methods: AADSTS900561)
 *   GET|POST /{tenant}/oauth2/v2.0/authorize      (account picker; its form posts back here)
 *   GET      /{tenant}/oauth2/v2.0/logout
 *
 * The routes live in an encapsulated plugin so their body parser (form-encoded, read as text) does not
 * change how the rest of the emulator parses bodies. They must be reachable without a bearer token: an
 * auth hook of the Dataverse API should not cover them. Returns the administrative controls.
 */

export type EntraRouteOptions = EntraServiceOptions;

export interface EntraControl {
  /** "Revoke sessions": the user's (any app) or the app's (any user) refresh tokens stop working. */
  revokeRefreshTokens(subject: RevocationSubject): void;
  /** Removes a client secret (by its Secret ID) from the app registration. */
  disableClientSecret(clientId: string, secretKeyId: string): void;
  enableClientSecret(clientId: string, secretKeyId: string): void;
  /** The shared state, for tests and the emulator core. */
  readonly context: EntraContext;
}

type Params = { Params: { tenant: string } };

export function registerEntraRoutes<Server extends RawServerBase, Logger extends FastifyBaseLogger>(
  app: FastifyInstance<
    Server,
    RawRequestDefaultExpression<Server>,
    RawReplyDefaultExpression<Server>,
    Logger
  >,
  options: EntraRouteOptions,
): EntraControl {
  const context = createEntraContext(options);

  void app.register(async (scope) => {
    // Entra reads OAuth parameters from application/x-www-form-urlencoded bodies only; anything else is
    // treated as an empty form (→ AADSTS900144 for the first missing parameter), so accept every type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
      done(null, body);
    });
    // Request-level failures Fastify detects (oversized or unreadable body) get Entra's error shape;
    // server faults go on to the emulator's own error handler.
    scope.setErrorHandler((error, request, reply) => {
      const status =
        typeof error === 'object' && error !== null && 'statusCode' in error ? error.statusCode : undefined;
      if (typeof status !== 'number' || status < 400 || status >= 500) throw error;
      const response = errorResponse(
        aadsts.malformedRequest(),
        requestIds(context, header(request, 'client-request-id')),
      );
      return send(reply, { ...response, status });
    });

    scope.get<Params>('/:tenant/v2.0/.well-known/openid-configuration', (request, reply) => {
      const tenant = resolveTenantPath(context.directory, request.params.tenant);
      if (tenant === undefined) return send(reply, unknownTenant(context, request, 'invalid_tenant'));
      return send(
        reply,
        jsonResponse(200, openIdConfiguration(context.issuerOrigin(), context.directory.tenantId, tenant), {
          'cache-control': 'max-age=86400, private',
        }),
      );
    });

    const keys = (request: FastifyRequest<Params>, reply: FastifyReply): FastifyReply => {
      if (resolveTenantPath(context.directory, request.params.tenant) === undefined) {
        return send(reply, unknownTenant(context, request, 'invalid_tenant'));
      }
      const issuer = idTokenIssuer(context.issuerOrigin(), context.directory.tenantId);
      return send(
        reply,
        jsonResponse(200, jwksDocument(context.keys, issuer), { 'cache-control': 'max-age=86400, private' }),
      );
    };
    scope.get<Params>('/:tenant/discovery/v2.0/keys', keys);
    scope.get<Params>('/:tenant/discovery/keys', keys);

    scope.post<Params>('/:tenant/oauth2/v2.0/token', async (request, reply) =>
      send(
        reply,
        await handleTokenRequest(context, request.params.tenant, formBody(request), {
          authorization: header(request, 'authorization'),
          clientRequestId: header(request, 'client-request-id'),
        }),
      ),
    );
    scope.route<Params>({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url: '/:tenant/oauth2/v2.0/token',
      handler: (request, reply) =>
        send(
          reply,
          tokenEndpointMethodNotAllowed(context, request.method, header(request, 'client-request-id')),
        ),
    });

    scope.get<Params>('/:tenant/oauth2/v2.0/authorize', (request, reply) =>
      send(
        reply,
        handleAuthorizeRequest(
          context,
          request.params.tenant,
          queryParams(request),
          header(request, 'client-request-id'),
        ),
      ),
    );
    scope.post<Params>('/:tenant/oauth2/v2.0/authorize', (request, reply) => {
      const form = formBody(request);
      const clientRequestId = header(request, 'client-request-id');
      return send(
        reply,
        form.has('flowToken')
          ? handleSignInSubmission(context, form, clientRequestId)
          : handleAuthorizeRequest(context, request.params.tenant, form, clientRequestId),
      );
    });

    scope.get<Params>('/:tenant/oauth2/v2.0/logout', (request, reply) => {
      // Nothing to end (no sessions are kept); go back to the app when it says where.
      const target = queryParams(request).get('post_logout_redirect_uri');
      if (target !== null && /^https?:\/\//i.test(target)) return send(reply, redirectResponse(target));
      return send(reply, htmlResponse(200, renderSignedOutPage()));
    });
  });

  return {
    revokeRefreshTokens: (subject) => context.revocations.revokeRefreshTokens(subject),
    disableClientSecret: (clientId, secretKeyId) =>
      context.revocations.disableClientSecret(clientId, secretKeyId),
    enableClientSecret: (clientId, secretKeyId) =>
      context.revocations.enableClientSecret(clientId, secretKeyId),
    context,
  };
}

function unknownTenant(
  context: EntraContext,
  request: FastifyRequest<Params>,
  error: 'invalid_tenant' | 'invalid_request',
): EndpointResponse {
  return errorResponse(
    aadsts.tenantNotFound(request.params.tenant, error),
    requestIds(context, header(request, 'client-request-id')),
  );
}

function send(reply: FastifyReply, response: EndpointResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function queryParams(request: FastifyRequest): URLSearchParams {
  return new URL(request.url, 'https://entra.invalid').searchParams;
}

function formBody(request: FastifyRequest): URLSearchParams {
  const contentType = header(request, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded' || typeof request.body !== 'string') {
    return new URLSearchParams();
  }
  return new URLSearchParams(request.body);
}

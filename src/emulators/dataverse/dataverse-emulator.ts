import { randomUUID } from 'node:crypto';
import { deterministicGuid } from '../../shared/ids.js';
import { seededRandom } from '../../shared/seeded-random.js';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  DEFAULT_CHANGE_TRACKING,
  DEFAULT_DUPLICATE_RULES,
  type AlternateKey,
  type Caller,
  type DataverseEnvironment,
  type DuplicateRule,
} from './environment.js';
import { dataverseErrors } from './errors.js';
import {
  bearerTokenFromHeader,
  createDemoEntraDirectory,
  ensureTlsCertificate,
  loadOrCreateSigningKeys,
  registerEntraRoutes,
  verifyAccessToken,
  wwwAuthenticateHeader,
  type EntraDirectory,
  type TlsCertificate,
} from './entra/index.js';
import {
  FaultInjector,
  ServiceProtectionLimiter,
  throttledResponse,
  type FaultInjectionOptions,
  type ServiceProtectionOptions,
} from './limits/index.js';
import { TableCatalog } from './metadata/table-catalog.js';
import { journalPersistence } from './persistence/journal-persistence.js';
import { inMemoryPersistence } from './persistence/persistence-driver.js';
import { RecordStore } from './persistence/record-store.js';
import type { EmulatorResponse } from './protocol/emulator-request.js';
import { errorResponse } from './protocol/responses.js';
import { seedEnvironment, type SeedPrincipal } from './seed-data.js';
import { DataverseWebApi } from './web-api.js';

export interface DataverseEmulatorOptions {
  readonly host?: string;
  readonly port?: number;
  /** Seed for the demo data, tenant, app registration and users. */
  readonly seed?: number;
  /** Keeps records, signing keys and the TLS certificate across restarts. */
  readonly dataDir?: string;
  /** Where the TLS certificate lives when `dataDir` is not given (it should outlive in-memory runs). */
  readonly tlsDir?: string;
  /** `real` = Dataverse's numbers, `off`, or custom numbers (tests use tiny ones). */
  readonly limits?: 'real' | 'off' | ServiceProtectionOptions;
  readonly faults?: FaultInjectionOptions;
  readonly accessTokenLifetimeSeconds?: number;
  readonly alternateKeys?: Readonly<Record<string, readonly AlternateKey[]>>;
  readonly duplicateRules?: readonly DuplicateRule[];
  /**
   * Tables with ChangeTrackingEnabled; default {@link DEFAULT_CHANGE_TRACKING}. An administrator turns
   * it on per table in a real environment, so clients must cope with tables that lack it.
   */
  readonly changeTrackingTables?: readonly string[];
  /** Seed record counts; the defaults make a small, realistic organisation. */
  readonly seedCounts?: { accounts?: number; contacts?: number; leads?: number; opportunities?: number };
  /** Injected clock (tests); defaults to the system clock. */
  readonly now?: () => Date;
  /** Largest accepted request body. */
  readonly bodyLimitBytes?: number;
  readonly logger?: boolean;
}

export interface DataverseEmulator {
  readonly app: FastifyInstance;
  readonly env: DataverseEnvironment;
  readonly directory: EntraDirectory;
  readonly tls: TlsCertificate;
  /** Environment URL, e.g. https://127.0.0.1:8443/ (valid after listen). */
  url(): string;
  /** Entra authority for MSAL, e.g. https://127.0.0.1:8443/<tenant-id>. */
  authority(): string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/** Builds the emulator (Web API + Entra ID on one HTTPS origin) without listening yet. */
export async function buildDataverseEmulator(
  options: DataverseEmulatorOptions = {},
): Promise<DataverseEmulator> {
  const seed = options.seed ?? 1;
  const now = options.now ?? (() => new Date());
  const catalog = TableCatalog.fromReference();
  const directory = createDemoEntraDirectory(seed);
  const store = new RecordStore(
    options.dataDir ? journalPersistence(options.dataDir) : inMemoryPersistence(),
  );
  if (options.dataDir) store.compact();
  const tls = await ensureTlsCertificate(options.dataDir ?? options.tlsDir);
  const keys = await loadOrCreateSigningKeys(options.dataDir);
  const env: DataverseEnvironment = {
    catalog,
    store,
    organization: {
      organizationId: seededId(seed, 'organization'),
      name: 'Leadbridge Demo',
      businessUnitId: seededId(seed, 'businessunit'),
      baseCurrencyId: seededId(seed, 'transactioncurrency'),
    },
    settings: {
      alternateKeys: options.alternateKeys ?? {},
      duplicateRules: options.duplicateRules ?? DEFAULT_DUPLICATE_RULES,
      changeTracking: options.changeTrackingTables
        ? new Set(options.changeTrackingTables)
        : DEFAULT_CHANGE_TRACKING,
    },
    now,
    newGuid: randomUUID,
  };
  seedEnvironment(env, { seed, principals: seedPrincipals(directory), ...options.seedCounts });
  const api = new DataverseWebApi(env);
  const clock = { now: () => now().getTime() };
  const limits = options.limits ?? 'real';
  const limiter = new ServiceProtectionLimiter(
    limits === 'real' ? {} : limits === 'off' ? { off: true } : limits,
    clock,
  );
  const faults = new FaultInjector(options.faults ?? {}, seededRandom(seed));

  const app = Fastify({
    https: { key: tls.keyPem, cert: tls.certPem },
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
    // Stopping the emulator ends its connections at once: a client's keep-alive socket (which Node
    // does not always count as idle) must not hold a test's or a terminal's stop for a minute.
    forceCloseConnections: true,
    logger: options.logger ?? false,
    // Dataverse URLs hold parentheses, quotes and `$`: route on the raw path ourselves.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 65_536 },
    // A URL that does not decode (`leads(%ZZ)`) gets the Web API's own 400, not Fastify's. The reply
    // is generic in its route types here, so the plain Node response is answered directly.
    frameworkErrors: (_error, _request, reply) => {
      const response = errorResponse(
        dataverseErrors.invalidQuery('Bad Request - Error in query syntax.'),
        false,
      );
      reply.raw.writeHead(400, { ...response.headers, REQ_ID: randomUUID() }).end(response.body);
    },
  });
  let origin = '';
  const url = () => `${origin}/`;
  const authority = () => `${origin}/${directory.tenantId}`;

  // The Web API takes every body as text; handlers parse JSON or multipart themselves so malformed
  // input gets Dataverse's error, not Fastify's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  registerEntraRoutes(app, {
    directory,
    keys,
    issuerOrigin: () => origin,
    environmentUrl: url,
    now: clock.now,
    ...(options.accessTokenLifetimeSeconds !== undefined
      ? { accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds }
      : {}),
  });

  const send = (reply: FastifyReply, response: EmulatorResponse, requestId: string) => {
    reply.code(response.status).headers({ ...response.headers, REQ_ID: requestId });
    // A Buffer, because Fastify rewrites the Content-Type of string bodies it takes for JSON
    // (`odata.metadata="minimal"; charset=utf-8`), and clients compare Dataverse's exact header.
    return reply.send(Buffer.from(response.body ?? '', 'utf8'));
  };

  const systemUserFor = (
    field: 'applicationid' | 'azureactivedirectoryobjectid' | 'systemuserid',
    value: string,
  ) => {
    for (const row of env.store.rows('systemuser'))
      if (String(row[field] ?? '').toLowerCase() === value.toLowerCase()) return row;
    return undefined;
  };

  async function authenticate(request: FastifyRequest): Promise<Caller | EmulatorResponse> {
    const unauthorized = (message: string) => ({
      status: 401,
      headers: {
        'www-authenticate': wwwAuthenticateHeader(directory.tenantId, origin, url()),
        'content-type': 'text/plain',
      },
      body: message,
    });
    const token = bearerTokenFromHeader(request.headers.authorization);
    const verified = await verifyAccessToken(token, { keys, audience: url(), now: clock.now, directory });
    if (!verified.ok) return unauthorized(verified.message);
    const principal = verified.principal;
    const user =
      principal.kind === 'application'
        ? systemUserFor('applicationid', principal.clientId)
        : systemUserFor('azureactivedirectoryobjectid', principal.objectId);
    if (!user || user['isdisabled'] === true)
      return errorResponse(dataverseErrors.notMemberOfOrganization(), false);
    // Impersonation (MSDocs impersonate-another-user-web-api): CallerObjectId, or the older MSCRMCallerID.
    const callerObjectId = header(request, 'callerobjectid');
    const callerId = header(request, 'mscrmcallerid');
    const impersonated = callerObjectId
      ? systemUserFor('azureactivedirectoryobjectid', callerObjectId)
      : callerId
        ? systemUserFor('systemuserid', callerId)
        : undefined;
    if ((callerObjectId || callerId) && !impersonated)
      return errorResponse(
        dataverseErrors.invalidArgument('The impersonated user does not exist in this organization.'),
        false,
      );
    const effective = impersonated ?? user;
    const bu = effective['businessunitid'] as { id: string } | undefined;
    return {
      systemUserId: String(effective['systemuserid']),
      businessUnitId: bu?.id ?? env.organization.businessUnitId,
      ...(impersonated ? { delegateUserId: String(user['systemuserid']) } : {}),
    };
  }

  app.all('/api/data/*', async (request, reply) => {
    const requestId = randomUUID();
    const caller = await authenticate(request);
    if ('status' in caller) return send(reply, caller, requestId);
    const admission = limiter.begin(caller.systemUserId);
    if (!admission.ok) return send(reply, throttledResponse(admission), requestId);
    const started = clock.now();
    try {
      const fault = faults.decide();
      if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if ('fault' in fault && fault.fault !== undefined) {
        if (fault.fault === 'timeout' && fault.action === 'drop') {
          request.raw.socket.destroy();
          return reply;
        }
        if (fault.response) return send(reply, fault.response, requestId);
      }
      const response = api.handle(
        {
          method: request.method,
          url: new URL(request.url, origin),
          headers: lowerCaseHeaders(request.headers),
          body: typeof request.body === 'string' ? request.body : '',
        },
        caller,
      );
      response.headers = { ...response.headers, ...limiter.rateLimitHeaders(caller.systemUserId) };
      return send(reply, response, requestId);
    } finally {
      limiter.end(admission.ticket, clock.now() - started);
    }
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, errorResponse(dataverseErrors.resourceNotFound(request.url), false), randomUUID()),
  );
  app.setErrorHandler((error: { code?: string; message: string }, _request, reply) => {
    const mapped =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? dataverseErrors.payloadTooLarge(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT)
        : dataverseErrors.internal(error.message);
    return send(reply, errorResponse(mapped, false), randomUUID());
  });

  return {
    app,
    env,
    directory,
    tls,
    url,
    authority,
    async listen() {
      const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8443 });
      const parsed = new URL(address);
      // Clients reach a wildcard bind through loopback; `localhost` matches the certificate either way.
      if (parsed.hostname === '0.0.0.0' || parsed.hostname === '[::]') parsed.hostname = '127.0.0.1';
      origin = parsed.origin;
      return url();
    },
    close: () => app.close(),
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function lowerCaseHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function seededId(seed: number, name: string): string {
  return deterministicGuid('dataverse', seed, name);
}

/** The application user and people of the directory become systemusers, as an admin would set them up. */
function seedPrincipals(directory: EntraDirectory): SeedPrincipal[] {
  const principals: SeedPrincipal[] = directory.applications.map((app) => ({
    systemUserId: app.systemUserId,
    firstName: '#',
    lastName: app.displayName,
    email: `${app.clientId}@application.local`,
    applicationId: app.clientId,
    position: 'Integration',
  }));
  directory.users.forEach((user, index) => {
    const [firstName = user.displayName, ...rest] = user.displayName.split(' ');
    principals.push({
      systemUserId: user.systemUserId,
      firstName,
      lastName: rest.join(' ') || firstName,
      email: user.userPrincipalName,
      entraObjectId: user.objectId,
      position: index === 0 ? 'Sales Manager' : 'Sales Representative',
    });
  });
  return principals;
}

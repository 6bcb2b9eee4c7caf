import { X509Certificate } from 'node:crypto';
import type {
  ChoiceOptions,
  Connection,
  ConnectionTestResult,
  CreateConnectionRequest,
  CrmSettings,
  BeginUserSignInResponse,
  MyCrmSignIns,
  UpdateConnectionRequest,
  UpdateCrmSettingsRequest,
  UserSignInResult,
} from '../contracts/index.js';
import type {
  AuditLog,
  CrmConnection,
  CrmConnectionRepository,
  CrmCredentialSource,
  CrmCredentials,
  CrmGateway,
  CrmSettingsRepository,
  PendingCrmSignInRepository,
  RequestCounter,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/errors.js';
import { requireLive, UserSignInFlow, type CrmSignInRecords } from './user-sign-in-flow.js';

export interface ConnectionActor {
  readonly user?: { readonly id: string };
}

export interface ConnectionServiceDeps {
  readonly connections: CrmConnectionRepository;
  readonly credentials: CrmCredentialSource;
  readonly settings: CrmSettingsRepository;
  readonly requestCounts: RequestCounter;
  readonly gateway: CrmGateway;
  readonly audit: AuditLog;
  /** Delegated sign-ins between the redirect to Entra ID and its answer. */
  readonly pendingSignIns: PendingCrmSignInRepository;
  /** The person's delegated token caches, which are their CRM sign-ins. */
  readonly signIns: CrmSignInRecords;
  readonly now?: () => Date;
  /**
   * The connection works again (a new secret was saved, or a test succeeded): work that waits for it
   * should run now rather than at its next retry.
   */
  readonly onConnectionRestored?: (connectionId: string) => Promise<void>;
}

/** Map a failure to the status a person sees on the Connections page (Twenty-style status). */
function statusFor(error: unknown): {
  status: Connection['status'];
  reason: string;
  throttledUntil?: string;
} {
  if (!(error instanceof LeadbridgeError)) return { status: 'unreachable', reason: String(error) };
  const vendor = error.vendor ? ` (${error.vendor.code}: ${error.vendor.message})` : '';
  switch (error.code) {
    case 'crm_auth_failed':
    case 'crm_reauthorization_needed':
      return { status: 'needs_reauthorization', reason: `${error.message}${vendor}` };
    case 'crm_throttled': {
      const retryAt = (error as LeadbridgeError & { retryAt?: string }).retryAt;
      return {
        status: 'throttled',
        reason: `${error.message}${vendor}`,
        ...(retryAt ? { throttledUntil: retryAt } : {}),
      };
    }
    default:
      return { status: 'unreachable', reason: `${error.message}${vendor}` };
  }
}

/**
 * Dynamics 365 connections: add (URL validated before any call), test (token + WhoAmI), edit, revoke,
 * disconnect, the primary, CRM settings with the live lead-source choices, and each user's own
 * delegated sign-in, which must land in the connection's organisation.
 */
export class ConnectionService {
  private readonly now: () => Date;
  private readonly userSignIns: UserSignInFlow;

  constructor(private readonly deps: ConnectionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.userSignIns = new UserSignInFlow({ ...deps, now: this.now });
  }

  async list(): Promise<Connection[]> {
    const connections = await this.deps.connections.list({ includeRevoked: true });
    return Promise.all(connections.map((c) => this.present(c)));
  }

  async get(id: string): Promise<Connection> {
    return this.present(await this.require(id));
  }

  async create(request: CreateConnectionRequest, actor: ConnectionActor): Promise<Connection> {
    const environmentUrl = this.deps.gateway.normalizeEnvironmentUrl(request.environmentUrl);
    const credentials: CrmCredentials = request.clientSecret
      ? { clientSecret: request.clientSecret }
      : { certificatePem: request.certificatePem ?? '', privateKeyPem: request.privateKeyPem ?? '' };
    let connection = await this.deps.connections.create({
      name: request.name,
      environmentUrl,
      tenantId: request.tenantId.toLowerCase(),
      clientId: request.clientId.toLowerCase(),
      authKind: request.clientSecret ? 'client_secret' : 'certificate',
      ...(request.certificatePem ? { certificateThumbprint: thumbprintOf(request.certificatePem) } : {}),
      credentials,
    });
    if (request.isPrimary) connection = await this.deps.connections.setPrimary(connection.id);
    await this.audit(actor, 'crm_connection.create', connection.id, { environmentUrl });
    return this.present(connection);
  }

  async update(id: string, request: UpdateConnectionRequest, actor: ConnectionActor): Promise<Connection> {
    await this.require(id);
    let connection = await this.deps.connections.update(id, {
      ...(request.name ? { name: request.name } : {}),
      ...(request.clientSecret
        ? { credentials: { clientSecret: request.clientSecret }, authKind: 'client_secret' as const }
        : {}),
    });
    if (request.isPrimary) connection = await this.deps.connections.setPrimary(id);
    if (request.clientSecret) await this.deps.onConnectionRestored?.(id);
    await this.audit(actor, 'crm_connection.update', id, {
      name: request.name,
      secretReplaced: Boolean(request.clientSecret),
    });
    return this.present(connection);
  }

  /** Token + WhoAmI; the outcome becomes the connection's status, with the reason in plain words. */
  async test(id: string): Promise<ConnectionTestResult> {
    const connection = await this.require(id);
    if (connection.revokedAt)
      throw new LeadbridgeError('conflict', 'The connection is revoked; add its credentials again first.');
    try {
      const identity = await this.deps.gateway.testConnection(
        connection,
        await this.deps.credentials.readCredentials(id),
      );
      await this.deps.connections.setStatus(id, {
        status: 'active',
        organizationId: identity.organizationId,
      });
      await this.deps.onConnectionRestored?.(id);
      return {
        ok: true,
        status: 'active',
        message: `Connected as ${identity.userFullName ?? identity.userId} to organisation ${identity.organizationId}.`,
        userId: identity.userId,
        organizationId: identity.organizationId,
        businessUnitId: identity.businessUnitId,
        ...(identity.userFullName ? { userFullName: identity.userFullName } : {}),
      };
    } catch (error) {
      const outcome = statusFor(error);
      await this.deps.connections.setStatus(id, {
        status: outcome.status,
        statusReason: outcome.reason,
        ...(outcome.throttledUntil ? { throttledUntil: outcome.throttledUntil } : {}),
        ...(connection.organizationId ? { organizationId: connection.organizationId } : {}),
      });
      return { ok: false, status: outcome.status, message: outcome.reason };
    }
  }

  async revoke(id: string, actor: ConnectionActor): Promise<Connection> {
    await this.require(id);
    const connection = await this.deps.connections.revoke(id);
    await this.audit(actor, 'crm_connection.revoke', id, {});
    return this.present(connection);
  }

  async disconnect(id: string, actor: ConnectionActor): Promise<void> {
    await this.require(id);
    await this.deps.connections.disconnect(id);
    await this.audit(actor, 'crm_connection.disconnect', id, {});
  }

  async settings(id: string): Promise<CrmSettings> {
    await this.require(id);
    const stored = await this.deps.settings.get(id);
    return {
      allowLeadCreation: stored?.allowLeadCreation ?? true,
      allowContactCreation: stored?.allowContactCreation ?? false,
      leadSourceCode: stored?.leadSourceCode ?? null,
    };
  }

  async updateSettings(
    id: string,
    request: UpdateCrmSettingsRequest,
    actor: ConnectionActor,
  ): Promise<CrmSettings> {
    const current = await this.settings(id);
    const next: CrmSettings = {
      allowLeadCreation: request.allowLeadCreation ?? current.allowLeadCreation,
      allowContactCreation: request.allowContactCreation ?? current.allowContactCreation,
      leadSourceCode: request.leadSourceCode !== undefined ? request.leadSourceCode : current.leadSourceCode,
    };
    if (next.leadSourceCode !== null && request.leadSourceCode !== undefined) {
      const { options } = await this.leadSourceOptions(id);
      if (!options.some((o) => o.value === next.leadSourceCode))
        throw new LeadbridgeError(
          'invalid_body',
          `leadSourceCode: ${next.leadSourceCode} is not a lead source of this environment.`,
        );
    }
    await this.deps.settings.upsert(id, {
      allowLeadCreation: next.allowLeadCreation,
      allowContactCreation: next.allowContactCreation,
      ...(next.leadSourceCode !== null ? { leadSourceCode: next.leadSourceCode } : {}),
    });
    await this.audit(actor, 'crm_settings.update', id, { ...request });
    return next;
  }

  /** Read live from the environment's metadata: admins see the choices their CRM actually has. */
  async leadSourceOptions(id: string): Promise<ChoiceOptions> {
    const connection = await this.require(id);
    const options = await this.deps.gateway.choiceOptions(
      connection,
      await this.deps.credentials.readCredentials(id),
      'lead',
      'leadsourcecode',
    );
    return { options };
  }

  /** Starts the caller's own sign-in; the answer's URL is Entra ID's sign-in page, to open in the browser. */
  async beginUserSignIn(
    id: string,
    actor: ConnectionActor,
    redirectUri: string,
  ): Promise<BeginUserSignInResponse> {
    const connection = await this.require(id);
    requireLive(connection);
    return this.userSignIns.begin(connection, requireUserId(actor), redirectUri);
  }

  /** Redeems the code; a sign-in to another organisation than the connection's is refused. */
  async completeUserSignIn(state: string, code: string, actor: ConnectionActor): Promise<UserSignInResult> {
    const { connection, identity } = await this.userSignIns.complete(state, code, requireUserId(actor));
    return {
      connection: await this.present(connection),
      crmUserId: identity.userId,
      ...(identity.userFullName ? { crmUserName: identity.userFullName } : {}),
      organizationId: identity.organizationId,
    };
  }

  /** The caller's own CRM sign-ins; an API token that is no person has none. */
  async myCrmSignIns(actor: ConnectionActor): Promise<MyCrmSignIns> {
    return actor.user ? this.userSignIns.listFor(actor.user.id) : { signIns: [] };
  }

  private async require(id: string): Promise<CrmConnection> {
    const connection = await this.deps.connections.get(id);
    if (!connection) throw new LeadbridgeError('not_found', `No connection ${id}.`);
    return connection;
  }

  private async present(connection: CrmConnection): Promise<Connection> {
    const day = this.now().toISOString().slice(0, 10);
    return {
      id: connection.id,
      name: connection.name,
      environmentUrl: connection.environmentUrl,
      tenantId: connection.tenantId,
      clientId: connection.clientId,
      authKind: connection.authKind,
      ...(connection.certificateThumbprint
        ? { certificateThumbprint: connection.certificateThumbprint }
        : {}),
      ...(connection.organizationId ? { organizationId: connection.organizationId } : {}),
      status: connection.status,
      ...(connection.statusReason ? { statusReason: connection.statusReason } : {}),
      ...(connection.throttledUntil ? { throttledUntil: connection.throttledUntil } : {}),
      isPrimary: connection.isPrimary,
      revoked: Boolean(connection.revokedAt),
      requestsToday: await this.deps.requestCounts.get(connection.id, day),
      createdAt: connection.createdAt,
    };
  }

  private async audit(
    actor: ConnectionActor,
    action: string,
    connectionId: string,
    details: Record<string, unknown>,
  ) {
    await this.deps.audit.append({
      ...(actor.user ? { actorUserId: actor.user.id } : {}),
      action,
      subject: `crm_connection:${connectionId}`,
      details,
    });
  }
}

function requireUserId(actor: ConnectionActor): string {
  if (!actor.user)
    throw new LeadbridgeError(
      'forbidden',
      'A CRM sign-in belongs to a person; use a session, not an API token.',
    );
  return actor.user.id;
}

/** SHA-1 thumbprint, as the Azure portal shows it; a PEM that does not parse is the caller's mistake. */
function thumbprintOf(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint.replaceAll(':', '');
  } catch {
    throw new LeadbridgeError(
      'invalid_body',
      'certificatePem: this is not a valid X.509 certificate in PEM form.',
    );
  }
}

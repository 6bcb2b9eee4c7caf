import { randomBytes } from 'node:crypto';
import type { BeginUserSignInResponse, MyCrmSignIns } from '../contracts/index.js';
import type {
  AuditLog,
  CrmConnection,
  CrmConnectionRepository,
  CrmCredentialSource,
  CrmGateway,
  CrmIdentity,
  PendingCrmSignInRepository,
  TokenCacheKey,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/errors.js';

/** A person's delegated tokens, one MSAL cache per connection and user (the store's token caches). */
export interface CrmSignInRecords {
  findSignIn(key: TokenCacheKey): Promise<{ readonly updatedAt: string } | undefined>;
  delete(key: TokenCacheKey): Promise<void>;
}

export interface UserSignInFlowDeps {
  readonly connections: CrmConnectionRepository;
  readonly credentials: CrmCredentialSource;
  readonly gateway: CrmGateway;
  readonly pendingSignIns: PendingCrmSignInRepository;
  readonly signIns: CrmSignInRecords;
  readonly audit: AuditLog;
  readonly now: () => Date;
}

/** How long a person has between leaving for Entra ID and coming back; authorization codes live ~10 min. */
export const SIGN_IN_LIFETIME_MS = 10 * 60_000;

/**
 * A person's own sign-in to a connection's environment: authorization code + PKCE. Between the redirect
 * and the callback the state lives in the store (code verifier sealed), so a restart or another process
 * can finish it; each state works once, for the person who started it, within ten minutes.
 */
export class UserSignInFlow {
  constructor(private readonly deps: UserSignInFlowDeps) {}

  async begin(
    connection: CrmConnection,
    userId: string,
    redirectUri: string,
  ): Promise<BeginUserSignInResponse> {
    const state = randomBytes(32).toString('base64url');
    const { url, codeVerifier } = await this.deps.gateway.beginUserSignIn(
      connection,
      await this.deps.credentials.readCredentials(connection.id),
      { userId, redirectUri, state },
    );
    await this.deps.pendingSignIns.deleteExpired();
    const expiresAt = new Date(this.deps.now().getTime() + SIGN_IN_LIFETIME_MS).toISOString();
    await this.deps.pendingSignIns.create({
      state,
      connectionId: connection.id,
      userId,
      redirectUri,
      codeVerifier,
      expiresAt,
    });
    return { url, expiresAt };
  }

  /** Redeems the code; a sign-in that lands in another organisation than the connection's is refused. */
  async complete(
    state: string,
    code: string,
    userId: string,
  ): Promise<{ readonly connection: CrmConnection; readonly identity: CrmIdentity }> {
    // Consumed before anything else: whatever happens next, this state cannot be used again.
    const pending = await this.deps.pendingSignIns.consume(state, userId);
    if (!pending)
      throw new LeadbridgeError(
        'invalid_body',
        'state: this sign-in is unknown, was already used (each works once), or was started by another ' +
          'Leadbridge user. Start the sign-in again from the Connections page.',
      );
    if (Date.parse(pending.expiresAt) <= this.deps.now().getTime())
      throw new LeadbridgeError(
        'invalid_body',
        `state: this sign-in expired; it must be finished within ${SIGN_IN_LIFETIME_MS / 60_000} minutes. ` +
          'Start it again from the Connections page.',
      );
    const connection = await this.deps.connections.get(pending.connectionId);
    if (!connection) throw new LeadbridgeError('not_found', `No connection ${pending.connectionId}.`);
    requireLive(connection);
    let identity: CrmIdentity;
    try {
      identity = await this.deps.gateway.completeUserSignIn(
        connection,
        await this.deps.credentials.readCredentials(connection.id),
        { userId, code, redirectUri: pending.redirectUri, codeVerifier: pending.codeVerifier },
      );
    } catch (error) {
      if (error instanceof LeadbridgeError && error.code === 'crm_wrong_environment')
        await this.refused(userId, connection, error);
      throw error;
    }
    // The gateway refuses another organisation itself; this keeps the rule if a gateway forgets it.
    const expected = connection.organizationId;
    if (expected && identity.organizationId.toLowerCase() !== expected.toLowerCase()) {
      await this.deps.signIns.delete({ connectionId: connection.id, userId });
      const error = new LeadbridgeError(
        'crm_wrong_environment',
        `You signed in to organisation ${identity.organizationId}, but the connection "${connection.name}" ` +
          `belongs to organisation ${expected}. Sign in with an account of that organisation.`,
      );
      await this.refused(userId, connection, error);
      throw error;
    }
    await this.deps.audit.append({
      actorUserId: userId,
      action: 'crm_connection.user_sign_in',
      subject: `crm_connection:${connection.id}`,
      details: { crmUserId: identity.userId, organizationId: identity.organizationId },
    });
    return { connection, identity };
  }

  /** The person's own sign-ins to live connections. */
  async listFor(userId: string): Promise<MyCrmSignIns> {
    const signIns: MyCrmSignIns['signIns'] = [];
    for (const connection of await this.deps.connections.list()) {
      const signIn = await this.deps.signIns.findSignIn({ connectionId: connection.id, userId });
      if (signIn) signIns.push({ connectionId: connection.id, signedInAt: signIn.updatedAt });
    }
    return { signIns };
  }

  private async refused(userId: string, connection: CrmConnection, error: LeadbridgeError): Promise<void> {
    await this.deps.audit.append({
      actorUserId: userId,
      action: 'crm_connection.user_sign_in_refused',
      subject: `crm_connection:${connection.id}`,
      details: { code: error.code, reason: error.message },
    });
  }
}

export function requireLive(connection: CrmConnection): void {
  if (connection.revokedAt)
    throw new LeadbridgeError(
      'conflict',
      `The connection "${connection.name}" is revoked; an admin must add its credentials again first.`,
    );
}

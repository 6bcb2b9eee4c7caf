import { randomBytes } from 'node:crypto';
import type {
  CurrentUser,
  InviteUserRequest,
  SetupRequest,
  UpdateUserRequest,
  User,
} from '../contracts/index.js';
import type {
  ApiTokenRepository,
  AuditLog,
  CrmConnectionRepository,
  SessionRepository,
  TokenCacheStore,
  User as StoredUser,
  UserRepository,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/errors.js';
import { hashToken } from '../shared/opaque-token.js';
import { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword, type ScryptCost } from './password-hash.js';

export interface AccountServiceDeps {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly connections: CrmConnectionRepository;
  /** Delegated CRM sign-ins are token caches keyed by connection and user. */
  readonly tokenCaches: TokenCacheStore & {
    findSignIn(key: { connectionId: string; userId?: string }): Promise<{ updatedAt: string } | undefined>;
  };
  readonly audit: AuditLog;
  readonly now?: () => Date;
  readonly passwordCost?: ScryptCost;
  readonly sessionTtlMs?: number;
  readonly throttle?: LoginThrottle;
}

export interface AccountPrincipal {
  readonly kind: 'session' | 'api_token';
  readonly role: StoredUser['role'];
  readonly user?: CurrentUser;
  readonly csrfToken?: string;
}

export interface SessionGrant {
  readonly token: string;
  readonly csrfToken: string;
  readonly user: CurrentUser;
  readonly expiresAt: Date;
}

const DEFAULT_SESSION_TTL = 12 * 3600_000;
/** A hash to verify against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const current = (user: StoredUser): CurrentUser => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
  role: user.role,
});

/**
 * Leadbridge's own users: first-run setup, sign-in with rate limiting, sessions (HTTP-only cookie +
 * CSRF token), API tokens, and the admin's user management including revoking CRM sign-ins.
 */
export class AccountService {
  private readonly now: () => Date;
  private readonly throttle: LoginThrottle;
  private readonly ttl: number;

  constructor(private readonly deps: AccountServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.throttle = deps.throttle ?? new LoginThrottle();
    this.ttl = deps.sessionTtlMs ?? DEFAULT_SESSION_TTL;
  }

  async needsSetup(): Promise<boolean> {
    return (await this.deps.users.count()) === 0;
  }

  /** The one-time setup page: creates the first admin, only while there is no user at all. */
  async setup(request: SetupRequest): Promise<SessionGrant> {
    if (!(await this.needsSetup())) throw new LeadbridgeError('conflict', 'Setup is done; sign in instead.');
    const user = await this.createUser({ ...request, role: 'admin' });
    await this.deps.audit.append({ actorUserId: user.id, action: 'user.setup', subject: `user:${user.id}` });
    return this.openSession(user);
  }

  async createUser(input: {
    email: string;
    displayName: string;
    password: string;
    role: StoredUser['role'];
  }): Promise<StoredUser> {
    const passwordHash = await hashPassword(input.password, this.deps.passwordCost);
    return this.deps.users.create({
      email: input.email,
      displayName: input.displayName,
      passwordHash,
      role: input.role,
    });
  }

  /** Sets a new password (the demo admin's, or a reset by the CLI). */
  async setPassword(userId: string, password: string): Promise<void> {
    await this.deps.users.updatePasswordHash(userId, await hashPassword(password, this.deps.passwordCost));
  }

  async login(email: string, password: string, clientKey: string): Promise<SessionGrant> {
    const keys = [`email:${email.trim().toLowerCase()}`, `client:${clientKey}`];
    const wait = this.throttle.retryAfterSeconds(keys);
    if (wait > 0) throw new LeadbridgeError('too_many_attempts', `Try again in ${wait} seconds.`);
    const record = await this.deps.users.findForSignIn(email);
    const valid = await verifyPassword(password, record?.passwordHash ?? DUMMY_HASH);
    if (!record || !valid || record.user.disabledAt) {
      this.throttle.recordFailure(keys);
      throw new LeadbridgeError(
        'unauthenticated',
        'The email or password is wrong, or the account is disabled.',
      );
    }
    this.throttle.recordSuccess(keys);
    await this.deps.audit.append({
      actorUserId: record.user.id,
      action: 'user.sign_in',
      subject: `user:${record.user.id}`,
    });
    return this.openSession(record.user);
  }

  async logout(sessionToken: string): Promise<void> {
    await this.deps.sessions.delete(hashToken(sessionToken));
  }

  async resolveSession(sessionToken: string): Promise<AccountPrincipal | undefined> {
    const found = await this.deps.sessions.findValid(hashToken(sessionToken));
    if (!found) return undefined;
    return {
      kind: 'session',
      role: found.user.role,
      user: current(found.user),
      csrfToken: found.session.csrfToken,
    };
  }

  async resolveApiToken(apiToken: string): Promise<AccountPrincipal | undefined> {
    const token = await this.deps.apiTokens.verify(apiToken);
    if (!token) return undefined;
    const user = token.userId ? await this.deps.users.findById(token.userId) : undefined;
    return { kind: 'api_token', role: token.role, ...(user ? { user: current(user) } : {}) };
  }

  async createApiToken(name: string, role: StoredUser['role']): Promise<string> {
    const issued = await this.deps.apiTokens.create({ name, role });
    await this.deps.audit.append({
      action: 'api_token.create',
      subject: `api_token:${issued.token.id}`,
      details: { role },
    });
    return issued.plainToken;
  }

  async list(): Promise<User[]> {
    const [users, connections] = await Promise.all([this.deps.users.list(), this.deps.connections.list()]);
    return Promise.all(users.map((user) => this.toUser(user, connections)));
  }

  async invite(request: InviteUserRequest, actor: AccountPrincipal): Promise<User> {
    const user = await this.createUser(request);
    await this.audited(actor, 'user.invite', user.id, { role: request.role });
    return this.toUser(user, await this.deps.connections.list());
  }

  async update(id: string, request: UpdateUserRequest, actor: AccountPrincipal): Promise<User> {
    const existing = await this.requireUser(id);
    if (actor.user?.id === id && (request.disabled === true || (request.role && request.role !== 'admin')))
      throw new LeadbridgeError('conflict', 'You cannot demote or disable yourself; ask another admin.');
    let user = existing;
    if (request.role && request.role !== user.role) user = await this.deps.users.updateRole(id, request.role);
    if (request.disabled === true && !user.disabledAt) user = await this.deps.users.disable(id);
    if (request.disabled === false && user.disabledAt) user = await this.deps.users.enable(id);
    await this.audited(actor, 'user.update', id, { ...request });
    return this.toUser(user, await this.deps.connections.list());
  }

  /** Forgets the user's delegated tokens for that environment: they must sign in to the CRM again. */
  async revokeCrmSignIn(userId: string, connectionId: string, actor: AccountPrincipal): Promise<void> {
    await this.requireUser(userId);
    await this.deps.tokenCaches.delete({ connectionId, userId });
    await this.audited(actor, 'user.crm_sign_in.revoke', userId, { connectionId });
  }

  private async openSession(user: StoredUser): Promise<SessionGrant> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.ttl);
    await this.deps.sessions.create({
      tokenHash: hashToken(token),
      userId: user.id,
      csrfToken,
      expiresAt: expiresAt.toISOString(),
    });
    return { token, csrfToken, user: current(user), expiresAt };
  }

  private async requireUser(id: string): Promise<StoredUser> {
    const user = await this.deps.users.findById(id);
    if (!user) throw new LeadbridgeError('not_found', `No user ${id}.`);
    return user;
  }

  private async toUser(
    user: StoredUser,
    connections: readonly { id: string; name: string }[],
  ): Promise<User> {
    const signIns: User['crmSignIns'] = [];
    for (const connection of connections) {
      const signIn = await this.deps.tokenCaches.findSignIn({ connectionId: connection.id, userId: user.id });
      if (signIn)
        signIns.push({
          connectionId: connection.id,
          connectionName: connection.name,
          signedInAt: signIn.updatedAt,
        });
    }
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      disabled: Boolean(user.disabledAt),
      createdAt: user.createdAt,
      crmSignIns: signIns,
    };
  }

  private async audited(
    actor: AccountPrincipal,
    action: string,
    userId: string,
    details: Record<string, unknown>,
  ) {
    await this.deps.audit.append({
      ...(actor.user ? { actorUserId: actor.user.id } : {}),
      action,
      subject: `user:${userId}`,
      details,
    });
  }
}

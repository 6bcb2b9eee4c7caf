import type {
  ChoiceOptions,
  Connection,
  ConnectionTestResult,
  CreateConnectionRequest,
  CrmSettings,
  CurrentUser,
  InviteUserRequest,
  SetupRequest,
  UpdateConnectionRequest,
  UpdateCrmSettingsRequest,
  UpdateUserRequest,
  User,
} from '../contracts/index.js';
import type { Role } from '../contracts/roles.js';

/** Who is calling: a browser session (cookie + CSRF token) or an API token. */
export interface Principal {
  readonly kind: 'session' | 'api_token';
  readonly role: Role;
  /** Absent for API tokens not tied to a user. */
  readonly user?: CurrentUser;
  readonly csrfToken?: string;
}

export interface SessionGrant {
  /** The cookie value; only its hash is stored. */
  readonly token: string;
  readonly csrfToken: string;
  readonly user: CurrentUser;
  readonly expiresAt: Date;
}

/** What the HTTP layer needs from the application; the composition root (src/app) provides it. */
export interface AppServices {
  readonly auth: {
    needsSetup(): Promise<boolean>;
    setup(request: SetupRequest): Promise<SessionGrant>;
    login(email: string, password: string, clientKey: string): Promise<SessionGrant>;
    logout(sessionToken: string): Promise<void>;
    resolveSession(sessionToken: string): Promise<Principal | undefined>;
    resolveApiToken(apiToken: string): Promise<Principal | undefined>;
  };
  readonly users: {
    list(): Promise<User[]>;
    invite(request: InviteUserRequest, actor: Principal): Promise<User>;
    update(id: string, request: UpdateUserRequest, actor: Principal): Promise<User>;
    revokeCrmSignIn(userId: string, connectionId: string, actor: Principal): Promise<void>;
  };
  readonly connections: {
    list(): Promise<Connection[]>;
    get(id: string): Promise<Connection>;
    create(request: CreateConnectionRequest, actor: Principal): Promise<Connection>;
    update(id: string, request: UpdateConnectionRequest, actor: Principal): Promise<Connection>;
    test(id: string): Promise<ConnectionTestResult>;
    revoke(id: string, actor: Principal): Promise<Connection>;
    disconnect(id: string, actor: Principal): Promise<void>;
    settings(id: string): Promise<CrmSettings>;
    updateSettings(id: string, request: UpdateCrmSettingsRequest, actor: Principal): Promise<CrmSettings>;
    leadSourceOptions(id: string): Promise<ChoiceOptions>;
    /** The Entra sign-in URL for the calling user's delegated access to this environment. */
    beginUserSignIn(id: string, actor: Principal, redirectUri: string): Promise<{ url: string }>;
    completeUserSignIn(state: string, code: string, actor: Principal): Promise<Connection>;
  };
  readonly health: {
    ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  };
}

import type {
  BeginUserSignInResponse,
  ChoiceOptions,
  Connection,
  ConnectionTestResult,
  CreateConnectionRequest,
  CrmSettings,
  CurrentUser,
  InviteUserRequest,
  MyCrmSignIns,
  SetupRequest,
  UpdateConnectionRequest,
  UpdateCrmSettingsRequest,
  UpdateUserRequest,
  User,
  UserSignInResult,
} from '../contracts/index.js';
import type {
  CaptureResponse,
  CreateSourceRequest,
  CreateStrategyRequest,
  CrmColumns,
  CsvImportResult,
  DryRunRequest,
  DryRunResult,
  IssuedSourceApiKeyInfo,
  MappingPreview,
  MappingPreviewRequest,
  ReplayRequest,
  Source,
  SourceApiKeyInfo,
  Strategy,
  SyncLogEntryView,
  SyncLogPage,
  SyncLogQuery,
  SyncStatus,
  UpdateSourceRequest,
  UpdateStrategyRequest,
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
    beginUserSignIn(id: string, actor: Principal, redirectUri: string): Promise<BeginUserSignInResponse>;
    completeUserSignIn(state: string, code: string, actor: Principal): Promise<UserSignInResult>;
    myCrmSignIns(actor: Principal): Promise<MyCrmSignIns>;
  };
  readonly sources: {
    list(): Promise<Source[]>;
    get(id: string): Promise<Source>;
    create(request: CreateSourceRequest, actor: Principal): Promise<Source>;
    update(id: string, request: UpdateSourceRequest, actor: Principal): Promise<Source>;
    delete(id: string, actor: Principal): Promise<void>;
    crmColumns(id: string, table: 'lead' | 'contact' | 'account'): Promise<CrmColumns>;
    previewMapping(id: string, request: MappingPreviewRequest): Promise<MappingPreview>;
    listApiKeys(id: string): Promise<SourceApiKeyInfo[]>;
    createApiKey(id: string, actor: Principal): Promise<IssuedSourceApiKeyInfo>;
    revokeApiKey(id: string, keyId: string, actor: Principal): Promise<SourceApiKeyInfo>;
  };
  readonly capture: {
    /** Throws `invalid_api_key` unless the key is a live key of this source. */
    authenticate(sourceId: string, key: string | undefined): Promise<void>;
    capture(sourceId: string, body: unknown, options: { idempotencyKey?: string }): Promise<CaptureResponse>;
    captureMarketplaceLead(sourceId: string, body: unknown): Promise<CaptureResponse>;
    importCsv(
      sourceId: string,
      stream: NodeJS.ReadableStream,
      options: { headerMapping: Record<string, string>; totalBytes?: number },
    ): Promise<CsvImportResult>;
    /** The public form's definition; `not_found` unless the source is an enabled form source. */
    form(sourceId: string): Promise<HostedForm>;
    /** A submission of the public form: field errors to show again, or accepted. */
    submitForm(sourceId: string, fields: Record<string, string>): Promise<{ errors: Record<string, string> }>;
  };
  readonly sync: {
    status(): Promise<SyncStatus>;
    log(query: SyncLogQuery): Promise<SyncLogPage>;
    logEntry(id: string): Promise<SyncLogEntryView>;
    replay(request: ReplayRequest, actor: Principal): Promise<{ requeued: number }>;
    dryRun(request: DryRunRequest): Promise<DryRunResult>;
  };
  readonly strategies: {
    list(): Promise<Strategy[]>;
    create(request: CreateStrategyRequest, actor: Principal): Promise<Strategy>;
    update(id: string, request: UpdateStrategyRequest, actor: Principal): Promise<Strategy>;
    activate(id: string, actor: Principal): Promise<Strategy>;
    delete(id: string, actor: Principal): Promise<void>;
  };
  readonly health: {
    ready(): Promise<{ ok: boolean; checks: Record<string, string> }>;
  };
}

/** What the hosted capture form page shows. */
export interface HostedForm {
  readonly name: string;
  readonly fields: readonly {
    readonly name: string;
    readonly label: string;
    readonly type: 'text' | 'email' | 'phone' | 'textarea' | 'select' | 'checkbox' | 'number';
    readonly required: boolean;
    readonly maxLength?: number;
    readonly options?: readonly string[];
  }[];
}

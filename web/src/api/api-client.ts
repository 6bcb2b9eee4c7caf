import type { z } from 'zod';
import {
  apiErrorSchema,
  beginUserSignInResponseSchema,
  choiceOptionsSchema,
  connectionListSchema,
  connectionSchema,
  connectionTestResultSchema,
  crmSettingsSchema,
  myCrmSignInListSchema,
  sessionResponseSchema,
  setupStatusSchema,
  userListSchema,
  userSchema,
  userSignInResultSchema,
  type BeginUserSignInResponse,
  type ChoiceOptions,
  type Connection,
  type ConnectionTestResult,
  type CreateConnectionRequest,
  type CrmSettings,
  type InviteUserRequest,
  type LoginRequest,
  type MyCrmSignIns,
  type SessionResponse,
  type SetupRequest,
  type UpdateConnectionRequest,
  type UpdateCrmSettingsRequest,
  type UpdateUserRequest,
  type User,
  type UserSignInResult,
} from '@contracts';
import { ApiClientError } from './api-client-error.js';

/** The Leadbridge HTTP API as the UI uses it; every answer is checked against the contract schemas. */
export interface ApiClient {
  setupStatus(): Promise<{ needsSetup: boolean }>;
  setup(request: SetupRequest): Promise<SessionResponse>;
  signIn(request: LoginRequest): Promise<SessionResponse>;
  /** The current session, or undefined when nobody is signed in. */
  currentSession(): Promise<SessionResponse | undefined>;
  signOut(): Promise<void>;

  listConnections(): Promise<Connection[]>;
  createConnection(request: CreateConnectionRequest): Promise<Connection>;
  updateConnection(id: string, request: UpdateConnectionRequest): Promise<Connection>;
  testConnection(id: string): Promise<ConnectionTestResult>;
  revokeConnection(id: string): Promise<Connection>;
  disconnectConnection(id: string): Promise<void>;
  crmSettings(connectionId: string): Promise<CrmSettings>;
  updateCrmSettings(connectionId: string, request: UpdateCrmSettingsRequest): Promise<CrmSettings>;
  leadSources(connectionId: string): Promise<ChoiceOptions>;
  /** Starts the signed-in person's own Dynamics 365 sign-in; open the answer's `url`. */
  beginCrmSignIn(connectionId: string, redirectUri: string): Promise<BeginUserSignInResponse>;
  /** Finishes it with what Entra ID sent back to the callback page. */
  completeCrmSignIn(state: string, code: string): Promise<UserSignInResult>;
  myCrmSignIns(): Promise<MyCrmSignIns['signIns']>;

  listUsers(): Promise<User[]>;
  inviteUser(request: InviteUserRequest): Promise<User>;
  updateUser(id: string, request: UpdateUserRequest): Promise<User>;
  revokeCrmSignIn(userId: string, connectionId: string): Promise<void>;

  /**
   * Any other JSON endpoint, with the session's CSRF token and 401 handling; feature modules
   * (web/src/api/*-api.ts) wrap it in typed methods. Without a schema the answer is ignored.
   */
  call<T>(method: Method, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
  call(method: Method, path: string, schema: undefined, body?: unknown): Promise<undefined>;
  /**
   * For a request fetch cannot make (an upload with progress, via XMLHttpRequest): `send` gets the
   * headers a write must carry, and an `unauthenticated` ApiClientError it throws ends the session.
   */
  withSession<T>(send: (writeHeaders: Readonly<Record<string, string>>) => Promise<T>): Promise<T>;

  /** Called when the API says the session is gone (expired, signed out elsewhere); returns an unsubscribe. */
  onSessionEnded(listener: () => void): () => void;
}

export interface ApiClientOptions {
  /** Prefix of every URL; the UI is served by the API itself, so '' by default. */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const UNREACHABLE_MESSAGE = 'Leadbridge cannot be reached. Check your network connection, then try again.';

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? '';
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const sessionListeners = new Set<() => void>();
  // The CSRF token of the browser session; sent on every write (the session cookie itself is HTTP-only).
  let csrfToken: string | undefined;

  async function request<T>(method: Method, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
  async function request(method: Method, path: string, schema: undefined, body?: unknown): Promise<undefined>;
  async function request<T>(
    method: Method,
    path: string,
    schema: z.ZodType<T> | undefined,
    body?: unknown,
  ): Promise<T | undefined> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiClientError('network', UNREACHABLE_MESSAGE, 0);
    }
    if (!response.ok) throw await errorFrom(response);
    if (!schema) return undefined;
    const parsed = schema.safeParse(await readJson(response));
    if (!parsed.success) {
      throw new ApiClientError(
        'unexpected_response',
        `The server's answer to ${method} ${path} is not in the expected shape (${parsed.error.issues[0]?.message ?? 'invalid'}). ` +
          'The UI and the server may be different versions: reload the page.',
        response.status,
      );
    }
    return parsed.data;
  }

  async function errorFrom(response: Response): Promise<ApiClientError> {
    const parsed = apiErrorSchema.safeParse(await readJson(response));
    if (!parsed.success) {
      const message =
        response.status >= 500
          ? `The server failed (HTTP ${response.status}). Try again in a moment.`
          : `The server refused the request (HTTP ${response.status}).`;
      return new ApiClientError('unexpected_response', message, response.status);
    }
    const { code, message, field } = parsed.data.error;
    return new ApiClientError(code, message, response.status, field);
  }

  /** Writes and reads of an existing session: a 401 means it has ended, and the UI must sign in again. */
  async function authed<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ApiClientError && error.code === 'unauthenticated') {
        csrfToken = undefined;
        for (const listener of sessionListeners) listener();
      }
      throw error;
    }
  }

  function keep(session: SessionResponse): SessionResponse {
    csrfToken = session.csrfToken;
    return session;
  }

  const connection = (id: string) => `/api/v1/connections/${encodeURIComponent(id)}`;

  return {
    setupStatus: () => request('GET', '/api/v1/setup', setupStatusSchema),
    setup: async (body) => keep(await request('POST', '/api/v1/setup', sessionResponseSchema, body)),
    signIn: async (body) => keep(await request('POST', '/api/v1/session', sessionResponseSchema, body)),
    currentSession: async () => {
      try {
        return keep(await request('GET', '/api/v1/session', sessionResponseSchema));
      } catch (error) {
        if (error instanceof ApiClientError && error.code === 'unauthenticated') return undefined;
        throw error;
      }
    },
    signOut: async () => {
      await request('DELETE', '/api/v1/session', undefined);
      csrfToken = undefined;
    },

    listConnections: () =>
      authed(async () => (await request('GET', '/api/v1/connections', connectionListSchema)).connections),
    createConnection: (body) => authed(() => request('POST', '/api/v1/connections', connectionSchema, body)),
    updateConnection: (id, body) => authed(() => request('PATCH', connection(id), connectionSchema, body)),
    testConnection: (id) =>
      authed(() => request('POST', `${connection(id)}/test`, connectionTestResultSchema)),
    revokeConnection: (id) => authed(() => request('POST', `${connection(id)}/revoke`, connectionSchema)),
    disconnectConnection: (id) => authed(() => request('DELETE', connection(id), undefined)),
    crmSettings: (id) => authed(() => request('GET', `${connection(id)}/settings`, crmSettingsSchema)),
    updateCrmSettings: (id, body) =>
      authed(() => request('PATCH', `${connection(id)}/settings`, crmSettingsSchema, body)),
    leadSources: (id) => authed(() => request('GET', `${connection(id)}/lead-sources`, choiceOptionsSchema)),
    beginCrmSignIn: (id, redirectUri) =>
      authed(() =>
        request('POST', `${connection(id)}/user-sign-in`, beginUserSignInResponseSchema, { redirectUri }),
      ),
    completeCrmSignIn: (state, code) =>
      authed(() =>
        request('POST', '/api/v1/connections/user-sign-in/complete', userSignInResultSchema, { state, code }),
      ),
    myCrmSignIns: () =>
      authed(
        async () =>
          (await request('GET', '/api/v1/connections/user-sign-ins', myCrmSignInListSchema)).signIns,
      ),

    listUsers: () => authed(async () => (await request('GET', '/api/v1/users', userListSchema)).users),
    inviteUser: (body) => authed(() => request('POST', '/api/v1/users', userSchema, body)),
    updateUser: (id, body) =>
      authed(() => request('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, userSchema, body)),
    revokeCrmSignIn: (userId, connectionId) =>
      authed(() =>
        request(
          'DELETE',
          `/api/v1/users/${encodeURIComponent(userId)}/crm-sign-ins/${encodeURIComponent(connectionId)}`,
          undefined,
        ),
      ),

    call: ((method: Method, path: string, schema: z.ZodType<unknown> | undefined, body?: unknown) =>
      authed(() =>
        schema ? request(method, path, schema, body) : request(method, path, undefined, body),
      )) as ApiClient['call'],
    withSession: (send) => authed(() => send(csrfToken ? { 'x-csrf-token': csrfToken } : {})),

    onSessionEnded: (listener) => {
      sessionListeners.add(listener);
      return () => sessionListeners.delete(listener);
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

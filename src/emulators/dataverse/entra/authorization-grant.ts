import type { DelegatedScopes } from './dataverse-scopes.js';
import type { CodeChallenge } from './pkce.js';

/** State of an authorization-code sign-in: the parked request and what the issued code stands for. */
export type ResponseMode = 'query' | 'fragment' | 'form_post';

export interface RedirectTarget {
  readonly redirectUri: string;
  readonly responseMode: ResponseMode;
  readonly state: string | undefined;
}

/** A validated authorize request, parked while the sign-in page is shown. */
export interface PendingSignIn extends RedirectTarget {
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly appName: string;
  readonly nonce: string | undefined;
  readonly scopes: DelegatedScopes;
  readonly codeChallenge: CodeChallenge | undefined;
  readonly clientInfo: boolean;
  readonly loginHint: string | undefined;
}

/** What an authorization code stands for. */
export interface AuthorizationGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly userObjectId: string;
  readonly scopes: DelegatedScopes;
  readonly codeChallenge: CodeChallenge | undefined;
  readonly nonce: string | undefined;
  /** Epoch seconds of the sign-in. */
  readonly authTime: number;
  readonly sessionId: string;
}

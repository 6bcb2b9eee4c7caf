/**
 * Why a request got no HTTP answer at all, read from Node's and undici's error codes. Some of these are
 * worth retrying (a reset connection, a timeout, a refused connection while a host restarts); a name
 * that does not resolve or a certificate nobody trusts will not heal by itself.
 */
export type TransportFailureKind =
  'timeout' | 'refused' | 'reset' | 'dns' | 'dns_temporary' | 'tls' | 'other';

export interface TransportFailure {
  readonly kind: TransportFailureKind;
  /** The Node/undici code, e.g. `ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`, `SELF_SIGNED_CERT_IN_CHAIN`. */
  readonly code: string;
  readonly message: string;
}

const KIND_BY_CODE: Readonly<Record<string, TransportFailureKind>> = {
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  EHOSTUNREACH: 'reset',
  ENETUNREACH: 'reset',
  ENETDOWN: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns_temporary',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  CERT_SIGNATURE_FAILURE: 'tls',
  CERT_UNTRUSTED: 'tls',
  CERT_REVOKED: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
  ERR_SSL_WRONG_VERSION_NUMBER: 'tls',
  EPROTO: 'tls',
};

/** A marker the transport throws when its own per-attempt timer fired. */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

interface ErrorLike {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly name?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/** Walks `cause` (fetch wraps the real error) and AggregateError members (happy eyeballs) for a known code. */
function knownCode(error: unknown, depth = 0): { code: string; message: string } | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  if (typeof e.code === 'string' && e.code in KIND_BY_CODE)
    return { code: e.code, message: typeof e.message === 'string' ? e.message : e.code };
  if (Array.isArray(e.errors))
    for (const inner of e.errors) {
      const found = knownCode(inner, depth + 1);
      if (found) return found;
    }
  return knownCode(e.cause, depth + 1);
}

export function classifyTransportError(error: unknown): TransportFailure {
  if (error instanceof RequestTimeoutError)
    return { kind: 'timeout', code: error.code, message: error.message };
  const found = knownCode(error);
  if (found) return { kind: KIND_BY_CODE[found.code] ?? 'other', code: found.code, message: found.message };
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'network_error';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (code === 'TimeoutError') return { kind: 'timeout', code, message };
  // OpenSSL's verification codes are many (X509_V_ERR_*); all of them mean "not trusted".
  if (/CERT|SSL|TLS/.test(code)) return { kind: 'tls', code, message };
  return { kind: 'other', code, message };
}

/** A sentence for a person: what happened and what usually causes it. */
export function describeTransportFailure(failure: TransportFailure, origin: string): string {
  switch (failure.kind) {
    case 'timeout':
      return `${origin} did not answer in time (${failure.code}).`;
    case 'refused':
      return `${origin} refused the connection (${failure.code}); nothing listens there.`;
    case 'reset':
      return `The connection to ${origin} broke (${failure.code}: ${failure.message}).`;
    case 'dns':
      return `${origin} does not resolve (${failure.code}); check the environment URL.`;
    case 'dns_temporary':
      return `${origin} could not be resolved right now (${failure.code}).`;
    case 'tls':
      return `${origin} presented a certificate that is not trusted (${failure.code}: ${failure.message}).`;
    case 'other':
      return `${origin} cannot be reached (${failure.code}: ${failure.message}).`;
  }
}

import type { AppRegistration } from './entra-directory.js';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `redirectUri` is registered on the app. Exact match, except that for loopback `http` URIs the
 * port is ignored ("Localhost exceptions", learn.microsoft.com/entra/identity-platform/reply-url):
 * registering http://localhost/redirect allows http://localhost:51234/redirect, which native and CLI
 * apps need because they listen on a random free port.
 */
export function isRegisteredRedirectUri(app: AppRegistration, redirectUri: string): boolean {
  if (app.redirectUris.includes(redirectUri)) return true;
  const requested = parse(redirectUri);
  if (requested === undefined || requested.protocol !== 'http:' || !LOOPBACK_HOSTS.has(requested.hostname)) {
    return false;
  }
  return app.redirectUris.some((registered) => {
    const candidate = parse(registered);
    return (
      candidate !== undefined &&
      candidate.protocol === requested.protocol &&
      candidate.hostname === requested.hostname &&
      candidate.pathname === requested.pathname &&
      candidate.search === requested.search
    );
  });
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

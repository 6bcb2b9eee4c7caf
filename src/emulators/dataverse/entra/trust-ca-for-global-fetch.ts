import { rootCertificates } from 'node:tls';

/**
 * Makes the global `fetch` of *this* process trust an extra CA (the emulator's), keeping the public roots.
 *
 * Why this exists — what the installed clients actually do (checked in node_modules):
 *
 * - @azure/msal-node v5+ (installed: 7.x): `network/HttpClient` calls the global `fetch(url, {method,
 *   headers, body, signal})` with no dispatcher or agent. `system.customAgentOptions` and `system.proxyUrl`
 *   were removed in v5 ("MSAL Node v5 no longer provides optional configuration for the HttpClient",
 *   AzureAD/microsoft-authentication-library-for-js PR #8137, docs/v5-migration.md); `NodeSystemOptions`
 *   is now only {loggerOptions, networkClient, disableInternalRetries, protocolMode}. So, short of a custom
 *   `system.networkClient`, the only ways to trust a private CA are process-wide: NODE_EXTRA_CA_CERTS
 *   (read once at process start, so it must be in the environment before `node` launches) or replacing
 *   the global fetch dispatcher, which this function does.
 * - dynamics-web-api 2.5 (Node build): `client/http.ts` uses `https.request` with its own cached
 *   `new https.Agent({ keepAlive: true, maxSockets: Infinity })`; its config exposes only `proxy` — no CA,
 *   agent or TLS option — so it can only trust the CA through NODE_EXTRA_CA_CERTS. (It picks `http`
 *   for `http:` server URLs, so a plain-HTTP Dataverse listener would also work for it; msal still
 *   needs the HTTPS authority.) This function does not affect it.
 *
 * Mechanism: Node's built-in fetch (bundled undici) dispatches through
 * `globalThis[Symbol.for('undici.globalDispatcher.1')]` — the slot undici's documented
 * `setGlobalDispatcher()` writes, shared with the built-in fetch on purpose. The `undici` package is not
 * installed, so we take the Agent class from the default dispatcher Node creates and build a second
 * Agent whose TLS connector trusts `[...tls.rootCertificates, caPem]`. `fetch('data:,')` (no network)
 * makes Node create that default dispatcher first.
 *
 * Returns a function restoring the previous dispatcher. Test/dev helper: it changes process-wide state.
 */
export async function trustCaForGlobalFetch(caPem: string | readonly string[]): Promise<() => void> {
  await fetch('data:,');
  const slots = globalThis as unknown as Record<symbol, unknown>;
  const previous = slots[GLOBAL_DISPATCHER];
  const AgentClass = dispatcherConstructor(previous);
  const extra = typeof caPem === 'string' ? [caPem] : [...caPem];
  slots[GLOBAL_DISPATCHER] = new AgentClass({ connect: { ca: [...rootCertificates, ...extra] } });
  return () => {
    slots[GLOBAL_DISPATCHER] = previous;
  };
}

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

type AgentConstructor = new (options: { connect: { ca: string[] } }) => object;

function dispatcherConstructor(dispatcher: unknown): AgentConstructor {
  if (
    typeof dispatcher !== 'object' ||
    dispatcher === null ||
    !('dispatch' in dispatcher) ||
    typeof dispatcher.dispatch !== 'function' ||
    typeof dispatcher.constructor !== 'function'
  ) {
    throw new Error(
      'This Node.js build does not expose the built-in fetch dispatcher; use NODE_EXTRA_CA_CERTS',
    );
  }
  // A dispatcher someone else installed (ProxyAgent, MockAgent, ...) takes other constructor options.
  if (dispatcher.constructor.name !== 'Agent') {
    throw new Error(`The global fetch dispatcher is a ${dispatcher.constructor.name}, not undici's Agent`);
  }
  return dispatcher.constructor as AgentConstructor;
}

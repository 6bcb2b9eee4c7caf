import { LeadbridgeError } from '../../shared/errors.js';

/**
 * Dataverse environment URLs, validated before any network call: a typo or a pasted SharePoint link
 * should be refused with a helpful message, never become a token request to some random host.
 */

export interface EnvironmentUrlOptions {
  /** Extra `host:port` pairs accepted as environments, e.g. a local emulator (`127.0.0.1:8443`). */
  readonly allowedHosts?: readonly string[];
  /** Accept any loopback host (`localhost`, `127.0.0.1`, `[::1]`) on any port: the demo's emulators. */
  readonly allowLoopback?: boolean;
}

/** A Microsoft cloud a Dataverse host belongs to, with the Entra ID authority host that serves it. */
export interface DataverseCloud {
  readonly name: 'public' | 'usgov-high' | 'usgov-dod' | 'china' | 'local';
  /** Origin of the Entra ID authority, e.g. `https://login.microsoftonline.com`. */
  readonly authorityOrigin: string;
}

/**
 * Host suffixes of Dataverse environments (the `<org>.` label comes first, optionally `.api.`):
 * - `crm.dynamics.com`, `crm2.dynamics.com` … `crm21.dynamics.com`: the public cloud's regions, and
 *   GCC (`crm9`), which signs in through the public Entra ID;
 * - `crm.microsoftdynamics.us` (US Government GCC High) and `crm.appsplatform.us` (DoD), both signing
 *   in at login.microsoftonline.us;
 * - `crm.dynamics.cn` (China, operated by 21Vianet), signing in at login.chinacloudapi.cn.
 * (Global Discovery Service hosts per cloud, learn.microsoft.com/power-apps/developer/data-platform/discovery-url.)
 */
const CLOUDS: ReadonlyArray<{ readonly suffix: RegExp; readonly cloud: DataverseCloud }> = [
  {
    suffix: /^crm(?:[2-9]|1\d|2\d)?\.dynamics\.com$/,
    cloud: { name: 'public', authorityOrigin: 'https://login.microsoftonline.com' },
  },
  {
    suffix: /^crm\.microsoftdynamics\.us$/,
    cloud: { name: 'usgov-high', authorityOrigin: 'https://login.microsoftonline.us' },
  },
  {
    suffix: /^crm\.appsplatform\.us$/,
    cloud: { name: 'usgov-dod', authorityOrigin: 'https://login.microsoftonline.us' },
  },
  {
    suffix: /^crm\.dynamics\.cn$/,
    cloud: { name: 'china', authorityOrigin: 'https://login.chinacloudapi.cn' },
  },
];

/** One DNS label: letters, digits and inner hyphens, at most 63 characters. */
const ORG_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

const EXAMPLE = 'https://<org>.crm.dynamics.com/ (crm4, crm11, … for other regions)';

function refuse(input: string, why: string): LeadbridgeError {
  return new LeadbridgeError('crm_url_invalid', `'${input}' ${why} Expected ${EXAMPLE}.`);
}

function parse(input: string): URL | undefined {
  const text = input.trim();
  try {
    // People paste `contoso.crm.dynamics.com` without a scheme; anything else with a scheme keeps it.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return undefined;
  }
}

/**
 * Splits a Dataverse hostname into its organisation label and cloud, or undefined when it is not one.
 * `contoso.api.crm4.dynamics.com` → `{ org: 'contoso', cloud: public, suffix: 'crm4.dynamics.com' }`.
 */
function dataverseHost(
  hostname: string,
): { readonly org: string; readonly suffix: string; readonly cloud: DataverseCloud } | undefined {
  const [org = '', ...rest] = hostname.split('.');
  if (!ORG_LABEL.test(org)) return undefined;
  const suffix = (rest[0] === 'api' ? rest.slice(1) : rest).join('.');
  const match = CLOUDS.find((entry) => entry.suffix.test(suffix));
  return match ? { org, suffix, cloud: match.cloud } : undefined;
}

function isAllowedLocalHost(host: string, hostname: string, options: EnvironmentUrlOptions): boolean {
  if ((options.allowedHosts ?? []).some((allowed) => allowed.toLowerCase() === host)) return true;
  return options.allowLoopback === true && LOOPBACK_HOSTNAMES.has(hostname);
}

/**
 * Validates a Dataverse environment URL and normalises it to `https://<host>/`. Accepted: the URL in
 * any case, with or without a trailing slash, with a Web API path (`/api/data/v9.2/…`) or an app link
 * (`/main.aspx?appid=…`) pasted from the browser, and the equivalent `.api.` host, which is normalised
 * to the plain one so one environment has one URL. Throws `crm_url_invalid` for anything else; hosts
 * named in `allowedHosts` (or loopback with `allowLoopback`) pass for local emulators.
 */
export function normalizeEnvironmentUrl(input: string, options: EnvironmentUrlOptions = {}): string {
  const url = parse(input);
  if (url === undefined) throw refuse(input, 'is not a URL.');
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  if (url.protocol !== 'https:') throw refuse(input, 'must use https: Dataverse is only reached over https.');
  if (url.username !== '' || url.password !== '')
    throw refuse(input, 'must not contain a user name or password.');
  if (isAllowedLocalHost(host, hostname, options)) return `https://${host}/`;
  if (url.port !== '') throw refuse(input, 'must not name a port.');
  if (/\.crm\.microsoftdynamics\.de$/.test(hostname))
    throw new LeadbridgeError(
      'crm_url_invalid',
      `'${input}' is in Microsoft Cloud Deutschland, which Microsoft closed in 2021; migrated environments have a *.crm<N>.dynamics.com address now.`,
    );
  const parsed = dataverseHost(hostname);
  if (parsed === undefined) throw refuse(input, 'is not a Dynamics 365 environment URL.');
  return `https://${parsed.org}.${parsed.suffix}/`;
}

/**
 * The cloud of a normalised environment URL, which says where its users and apps sign in. Hosts that
 * are not Dataverse's (emulators allowed by options) are `local`: they serve Entra ID at their origin.
 */
export function dataverseCloudOf(environmentUrl: string): DataverseCloud {
  const url = new URL(environmentUrl);
  return dataverseHost(url.hostname.toLowerCase())?.cloud ?? { name: 'local', authorityOrigin: url.origin };
}

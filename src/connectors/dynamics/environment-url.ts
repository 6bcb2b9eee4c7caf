import { LeadbridgeError } from '../../shared/errors.js';

/**
 * Dataverse environment hosts: `<org>.crm<N>.dynamics.com` (and the `.api.` form) in the commercial
 * cloud, and the sovereign clouds' equivalents (China `crm.dynamics.cn`, US Government GCC High
 * `crm.microsoftdynamics.us`, DoD `crm.appsplatform.us`).
 */
const DATAVERSE_HOST =
  /^[a-z0-9](?:[a-z0-9-]{0,62})(?:\.api)?\.crm\d*\.(?:dynamics\.com|dynamics\.cn|microsoftdynamics\.us|appsplatform\.us)$/;

/**
 * Validates an environment URL and normalises it to `https://host/`, before any network call.
 * Pasted URLs from the browser (`…/main.aspx?appid=…`, `…/api/data/v9.2/`) are accepted. Hosts in
 * `allowedHosts` (`host:port`, e.g. a local emulator) pass too.
 */
export function normalizeEnvironmentUrl(input: string, allowedHosts: readonly string[] = []): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new LeadbridgeError(
      'crm_url_invalid',
      `'${input}' is not a URL. Use https://<org>.crm.dynamics.com/.`,
    );
  }
  const host = url.host.toLowerCase();
  if (allowedHosts.map((h) => h.toLowerCase()).includes(host)) {
    if (url.protocol !== 'https:')
      throw new LeadbridgeError('crm_url_invalid', 'Dataverse is only reached over https.');
    return `https://${host}/`;
  }
  if (url.protocol !== 'https:')
    throw new LeadbridgeError(
      'crm_url_invalid',
      `'${input}' must use https: Dataverse is only reached over https.`,
    );
  if (
    url.username ||
    url.password ||
    (url.port && url.port !== '443') ||
    !DATAVERSE_HOST.test(url.hostname.toLowerCase())
  )
    throw new LeadbridgeError(
      'crm_url_invalid',
      `'${input}' is not a Dynamics 365 environment URL. It looks like https://<org>.crm.dynamics.com/ (or crm4, crm11, …); find it in the Power Platform admin center.`,
    );
  return `https://${url.hostname.toLowerCase()}/`;
}

/**
 * Resolves the target of an inner request line to an absolute URL. Dataverse clients use three forms
 * (docs/protocols/dataverse.md §3):
 * - absolute: `POST https://org.crm.dynamics.com/api/data/v9.2/tasks HTTP/1.1` (DynamicsWebApi, MSDocs);
 *   kept as written, host included — routing on the host is the executor's decision;
 * - server-relative: `POST /api/data/v9.2/tasks HTTP/1.1` (MSDocs examples) — joined to the environment's
 *   origin (concatenated, so `//x` cannot switch hosts);
 * - relative to the service root: `GET leads(…)?$select=x HTTP/1.1` — resolved against the service root.
 *
 * Returns undefined when the result is not a valid URL.
 */
export function resolveRequestTarget(target: string, serviceRoot: URL): URL | undefined {
  try {
    if (/^https?:\/\//i.test(target)) return new URL(target);
    if (target.startsWith('/')) return new URL(`${serviceRoot.origin}${target}`);
    // A base without a trailing slash would drop its last segment (`…/v9.2` + `leads` → `…/api/data/leads`).
    const base = serviceRoot.href.endsWith('/') ? serviceRoot : new URL(`${serviceRoot.href}/`);
    return new URL(target, base);
  } catch {
    return undefined;
  }
}

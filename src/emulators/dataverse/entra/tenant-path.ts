import type { EntraDirectory } from './entra-directory.js';

/**
 * The `{tenant}` path segment of Entra endpoints: the tenant id, one of its verified domains, or the
 * multi-tenant aliases `organizations` (work/school accounts) and `common` (plus personal accounts,
 * which this emulated work tenant has none of). `consumers` is personal accounts only → not found here.
 */
export type TenantPath =
  | { readonly kind: 'tenant'; readonly segment: string }
  | { readonly kind: 'organizations' | 'common'; readonly segment: string };

export function resolveTenantPath(directory: EntraDirectory, segment: string): TenantPath | undefined {
  const lower = segment.toLowerCase();
  if (lower === 'organizations' || lower === 'common') return { kind: lower, segment };
  if (lower === directory.tenantId.toLowerCase()) return { kind: 'tenant', segment };
  if (directory.verifiedDomains.some((domain) => domain.toLowerCase() === lower)) {
    return { kind: 'tenant', segment };
  }
  return undefined;
}

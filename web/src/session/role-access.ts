import type { Role } from '@contracts';

/** The pages of the shell and who may open them (mirrors the `access` of the routes they call). */
export type PageKey =
  'connections' | 'sources' | 'sync-log' | 'matching-strategies' | 'crm-settings' | 'users';

export interface PageEntry {
  readonly key: PageKey;
  readonly path: string;
  readonly label: string;
  readonly roles: readonly Role[];
}

export const PAGES: readonly PageEntry[] = [
  // GET /api/v1/connections: everyone; writes: admin.
  {
    key: 'connections',
    path: '/connections',
    label: 'Connections',
    roles: ['admin', 'lead_gen_admin', 'salesperson'],
  },
  // GET /api/v1/sources, /sync/log, /sync/status, /matching-strategies: everyone; writes: lead-gen admins.
  { key: 'sources', path: '/sources', label: 'Sources', roles: ['admin', 'lead_gen_admin', 'salesperson'] },
  {
    key: 'sync-log',
    path: '/sync-log',
    label: 'Sync log',
    roles: ['admin', 'lead_gen_admin', 'salesperson'],
  },
  {
    key: 'matching-strategies',
    path: '/matching-strategies',
    label: 'Matching strategies',
    roles: ['admin', 'lead_gen_admin', 'salesperson'],
  },
  // GET …/settings and …/lead-sources: admin, lead_gen_admin; PATCH: admin.
  { key: 'crm-settings', path: '/crm-settings', label: 'CRM settings', roles: ['admin', 'lead_gen_admin'] },
  // /api/v1/users: admin only.
  { key: 'users', path: '/users', label: 'Users', roles: ['admin'] },
];

export function pagesFor(role: Role): PageEntry[] {
  return PAGES.filter((page) => page.roles.includes(role));
}

export function mayOpen(role: Role, key: PageKey): boolean {
  return PAGES.some((page) => page.key === key && page.roles.includes(role));
}

/** Adding, testing, revoking, disconnecting connections and changing CRM settings. */
export function mayManageConnections(role: Role): boolean {
  return role === 'admin';
}

/** Sources, mappings, API keys, imports, replays and strategies (seed 001: lead-gen administrators). */
export function mayManageLeadSync(role: Role): boolean {
  return role === 'admin' || role === 'lead_gen_admin';
}

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  lead_gen_admin: 'Lead-gen admin',
  salesperson: 'Salesperson',
};

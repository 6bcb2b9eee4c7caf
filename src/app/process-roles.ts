import { LeadbridgeError } from '../shared/index.js';

/**
 * What one Leadbridge process does (DESIGN.md §1, scale-out): `api` answers HTTP, `worker` syncs the
 * queue, `scheduler` runs the timed cycles. `leadbridge start` is all three in one process.
 */
export const PROCESS_ROLES = ['api', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** `--role api,worker --role scheduler` → the distinct roles; none given means all three. */
export function parseProcessRoles(values: readonly string[] | undefined): readonly ProcessRole[] {
  const named = (values ?? []).flatMap((value) => value.split(',')).map((role) => role.trim());
  if (named.length === 0) return PROCESS_ROLES;
  const unknown = named.filter((role) => !(PROCESS_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0)
    throw new LeadbridgeError(
      'invalid_roles',
      `Unknown role ${unknown.map((role) => `'${role}'`).join(', ')}: use ${PROCESS_ROLES.join(', ')}, comma-separated or repeated.`,
    );
  return PROCESS_ROLES.filter((role) => named.includes(role));
}

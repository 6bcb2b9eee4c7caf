import { LeadbridgeError } from '../../shared/errors.js';
import type { DataverseClient } from './dataverse-client.js';

/** What a connection test shows: who we are in which organisation. */
export interface ConnectionTestResult {
  readonly environmentUrl: string;
  /** systemuserid of the caller (the application user, or the signed-in person). */
  readonly userId: string;
  readonly organizationId: string;
  readonly businessUnitId: string;
  /** The systemuser's full name, when the caller may read it. */
  readonly userFullName?: string;
}

/**
 * Token + WhoAmI + the caller's systemuser name (`systemusers(<id>)?$select=fullname`). Not being
 * allowed to read systemusers does not fail the test: the connection works, it just has no name to show.
 */
export async function testConnection(client: DataverseClient): Promise<ConnectionTestResult> {
  const who = await client.whoAmI();
  let userFullName: string | undefined;
  try {
    const user = await client.retrieve('systemusers', who.userId, { select: ['fullname'] });
    if (typeof user['fullname'] === 'string' && user['fullname'] !== '') userFullName = user['fullname'];
  } catch (error) {
    if (!(error instanceof LeadbridgeError) || error.code !== 'crm_forbidden') throw error;
  }
  return {
    environmentUrl: client.environmentUrl,
    userId: who.userId,
    organizationId: who.organizationId,
    businessUnitId: who.businessUnitId,
    ...(userFullName !== undefined ? { userFullName } : {}),
  };
}

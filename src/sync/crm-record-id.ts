import { deterministicGuid } from '../shared/ids.js';

/**
 * The primary key a lead's CRM record gets when Leadbridge creates it: the same connection, source and
 * idempotency key always give the same GUID, so a create retried after a crash meets "already exists"
 * instead of making a second record (DESIGN.md §4, step 6).
 */
export function crmRecordIdFor(connectionId: string, sourceId: string, idempotencyKey: string): string {
  return deterministicGuid('crm-record', connectionId, sourceId, idempotencyKey);
}

/** The Dynamics 365 page of a record (`main.aspx?etn=…&id=…&pagetype=entityrecord`). */
export function crmDeepLink(environmentUrl: string, table: string, id: string): string {
  const base = environmentUrl.endsWith('/') ? environmentUrl : `${environmentUrl}/`;
  return `${base}main.aspx?etn=${encodeURIComponent(table)}&id=${encodeURIComponent(id)}&pagetype=entityrecord`;
}

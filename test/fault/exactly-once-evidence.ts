import { expect } from 'vitest';
import type { SyncLogEntryView } from '../../src/contracts/index.js';
import type { CrmLeadRow } from './fault-emulators.js';
import type { CapturedLead } from './leadbridge-under-test.js';

/**
 * The promise of the sync engine, checked from both ends: the CRM holds each captured lead exactly
 * once and nothing else, and for each lead the sync log's latest word is a write to a record that
 * exists and carries that lead's e-mail.
 */
export function expectEachLeadOnceInCrm(
  captured: readonly CapturedLead[],
  crmLeads: readonly CrmLeadRow[],
  log: readonly SyncLogEntryView[],
): void {
  const emails = crmLeads.map((row) => row.emailaddress1);
  const duplicates = emails.filter((email, index) => emails.indexOf(email) !== index);
  expect(duplicates.slice(0, 20), 'e-mails that exist more than once in the CRM').toEqual([]);
  expect(new Set(emails)).toEqual(new Set(captured.map((lead) => lead.email)));
  expect(crmLeads).toHaveLength(captured.length);

  const crmById = new Map(crmLeads.map((row) => [row.leadid.toLowerCase(), row]));
  // Entries are newest first: the first one met per lead is its latest attempt.
  const latest = new Map<string, SyncLogEntryView>();
  for (const entry of log) if (!latest.has(entry.leadId)) latest.set(entry.leadId, entry);
  const problems: string[] = [];
  for (const { leadId, email } of captured) {
    const entry = latest.get(leadId);
    if (!entry) {
      problems.push(`${leadId}: no sync-log entry`);
      continue;
    }
    if (entry.outcome !== 'created' && entry.outcome !== 'updated') {
      problems.push(`${leadId}: latest outcome ${entry.outcome} (${entry.reason})`);
      continue;
    }
    const record = entry.recordId ? crmById.get(entry.recordId.toLowerCase()) : undefined;
    if (!record) problems.push(`${leadId}: logged record ${entry.recordId} is not in the CRM`);
    else if (record.emailaddress1 !== email)
      problems.push(`${leadId} (${email}): logged record ${record.leadid} holds ${record.emailaddress1}`);
  }
  expect(problems.slice(0, 20), `${problems.length} leads whose log and CRM disagree`).toEqual([]);
}

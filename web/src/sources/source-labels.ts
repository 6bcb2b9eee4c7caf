import type { Source } from '@contracts';

type Kind = Source['kind'];
type Policy = Extract<Source['duplicates'], { mode: 'policy' }>['policy'];

export const SOURCE_KIND_LABELS: Readonly<Record<Kind, string>> = {
  api: 'Capture API',
  form: 'Hosted form',
  csv: 'CSV import',
  partner: 'Partner feed (commercial marketplace)',
  linkedin: 'LinkedIn Lead Gen',
  workspace: 'Workspace',
};

export const SOURCE_KIND_HINTS: Readonly<Record<Kind, string>> = {
  api: 'Your website or app posts leads to the capture API with an API key of this source.',
  form: 'Leadbridge hosts a public form built from the source’s fields.',
  csv: 'People upload spreadsheets of leads on the source’s page or with `leadbridge import csv`.',
  partner: 'Microsoft’s commercial marketplace posts its leads to this source’s HTTPS endpoint.',
  linkedin: 'Leads from LinkedIn Lead Gen Forms.',
  workspace: 'Leads people add by hand in the workspace.',
};

// The duplicate settings as seed 003 (Captello's Dynamics integration) words them.
export const CHECK_LABELS: Readonly<Record<Policy['check'], string>> = {
  leads: 'Check leads only',
  contacts: 'Check contacts only',
  contacts_then_leads: 'Check contacts then leads',
  leads_then_contacts: 'Check leads then contacts',
};

export const KEY_LABELS: Readonly<Record<Policy['keys'], string>> = {
  email: 'By email only',
  email_then_name: 'By email and then name',
};

export const ON_DUPLICATE_LABELS: Readonly<Record<Policy['onDuplicate'], string>> = {
  update_most_recently_created: 'Update most recently created',
  update_most_recently_updated: 'Update most recently updated',
  update_least_recently_created: 'Update least recently created',
  update_least_recently_updated: 'Update least recently updated',
  none: 'Take no action',
};

export const CREATE_LABELS: Readonly<Record<Policy['create'], string>> = {
  lead: 'Lead',
  contact: 'Contact',
  none: 'Nothing',
};

/** Select data from a label table, in the table's order. */
export function optionsOf<K extends string>(
  labels: Readonly<Record<K, string>>,
): { value: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
}

/** Lead statuses as the API counts them (`leadCounts`, sync status `leads`). */
export const LEAD_STATUS_DISPLAY: Readonly<Record<string, { label: string; color: string }>> = {
  pending: { label: 'Pending', color: 'blue' },
  synced: { label: 'Synced', color: 'green' },
  skipped: { label: 'Skipped', color: 'gray' },
  failed: { label: 'Failed', color: 'red' },
};

export function leadStatusDisplay(status: string): { label: string; color: string } {
  return LEAD_STATUS_DISPLAY[status] ?? { label: status.replace(/_/g, ' '), color: 'gray' };
}

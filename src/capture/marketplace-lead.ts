import { z } from 'zod';
import type { LeadPayload, SourceField } from '../domain/index.js';
import { err, ok, type Result } from '../shared/index.js';
import { idempotencyKeyFor } from './idempotency-key.js';

/**
 * Leads from Microsoft's commercial marketplace (AppSource, Azure Marketplace) through Partner
 * Center's "HTTPS endpoint" lead destination. The body is Microsoft's documented JSON:
 * https://docs.microsoft.com/azure/marketplace/partner-center-portal/commercial-marketplace-lead-management-instructions-https
 * ("Use an HTTPS endpoint to manage commercial marketplace leads"; MicrosoftDocs/azure-docs,
 * articles/marketplace/partner-center-portal/commercial-marketplace-lead-management-instructions-https.md).
 * Every documented property is a string, and "not all the data … is always available for each lead"
 * (commercial-marketplace-get-customer-leads.md), so each may be missing; extra properties are kept
 * out of the payload but do not fail the request, as Microsoft may add some.
 */
const text = z.string().nullish();

export const marketplaceLeadSchema = z.looseObject({
  UserDetails: z.looseObject({
    FirstName: text,
    LastName: text,
    Email: text,
    Phone: text,
    Country: text,
    Company: text,
    Title: text,
  }),
  /** "AzureMarketplace", "AzurePortal", "AppSource (SPZA)", or the long form `Source-Action|publisher.offer`. */
  LeadSource: text,
  /** INS (install), PLT (partner-led trial / contact me), DNC (do not contact), Create, StartTestDrive. */
  ActionCode: text,
  OfferTitle: text,
  Description: text,
});

export type MarketplaceLead = z.infer<typeof marketplaceLeadSchema>;

/** Parses a delivery; problems name the property, e.g. `UserDetails.Email: expected string`. */
export function parseMarketplaceLead(body: unknown): Result<MarketplaceLead, readonly string[]> {
  const parsed = marketplaceLeadSchema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  return err(
    parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`,
    ),
  );
}

/** The fields a marketplace source delivers, for its source definition and mapping editor. */
export const MARKETPLACE_LEAD_FIELDS: readonly SourceField[] = [
  { name: 'email', label: 'Email', type: 'email', required: false },
  { name: 'firstName', label: 'First name', type: 'text', required: false },
  { name: 'lastName', label: 'Last name', type: 'text', required: false },
  { name: 'company', label: 'Company', type: 'text', required: false },
  { name: 'jobTitle', label: 'Job title', type: 'text', required: false },
  { name: 'phone', label: 'Phone', type: 'phone', required: false },
  { name: 'country', label: 'Country', type: 'text', required: false },
  { name: 'offerTitle', label: 'Offer title', type: 'text', required: false },
  { name: 'offerId', label: 'Offer id (publisher.offer)', type: 'text', required: false },
  { name: 'marketplace', label: 'Marketplace', type: 'text', required: false },
  { name: 'leadSource', label: 'Lead source', type: 'text', required: false },
  { name: 'actionCode', label: 'Action code', type: 'text', required: false },
  { name: 'description', label: 'Description', type: 'textarea', required: false },
];

/**
 * The lead in Leadbridge's common field names. When `LeadSource` has the documented long form
 * `Source-Action|publisher.offer`, its parts also become `marketplace` and `offerId`
 * (and `actionCode` when the body has no `ActionCode`).
 */
export function marketplaceLeadToPayload(body: MarketplaceLead): LeadPayload {
  const user = body.UserDetails;
  const payload: Record<string, string> = {};
  const put = (field: string, value: string | null | undefined): void => {
    const trimmed = value?.trim();
    if (trimmed !== undefined && trimmed !== '') payload[field] = trimmed;
  };
  put('email', user.Email);
  put('firstName', user.FirstName);
  put('lastName', user.LastName);
  put('company', user.Company);
  put('jobTitle', user.Title);
  put('phone', user.Phone);
  put('country', user.Country);
  put('offerTitle', body.OfferTitle);
  put('leadSource', body.LeadSource);
  put('actionCode', body.ActionCode);
  put('description', body.Description);
  const parts = splitLeadSource(body.LeadSource);
  if (parts !== undefined) {
    put('marketplace', parts.marketplace);
    put('offerId', parts.offerId);
    if (payload['actionCode'] === undefined) put('actionCode', parts.action);
  }
  return payload;
}

/** `AzureMarketplace-INS|checkpoint.check-point-r77-10sg-byol` → its three parts. */
export function splitLeadSource(
  leadSource: string | null | undefined,
): { marketplace: string; action: string; offerId: string } | undefined {
  const match = /^(.+)-([^-|]+)\|(.+)$/u.exec(leadSource?.trim() ?? '');
  if (match === null) return undefined;
  return { marketplace: match[1]!.trim(), action: match[2]!.trim(), offerId: match[3]!.trim() };
}

/**
 * The payload has no lead id, so the key is the hash of what we keep: a redelivery of the same lead
 * is stored once. The same person taking the same action on the same offer again is also a no-op,
 * which for a CRM lead is the wanted outcome.
 */
export function marketplaceIdempotencyKey(sourceId: string, payload: LeadPayload): string {
  return idempotencyKeyFor(sourceId, payload);
}

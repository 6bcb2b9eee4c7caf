import { z } from 'zod';

const guid = z.guid('Use the GUID shown in the Azure portal (8-4-4-4-12 hex digits).');

export const connectionStatusSchema = z.enum([
  'active',
  'needs_reauthorization',
  'throttled',
  'unreachable',
  'untested',
]);

export const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  environmentUrl: z.string(),
  tenantId: z.string(),
  clientId: z.string(),
  authKind: z.enum(['client_secret', 'certificate']),
  certificateThumbprint: z.string().optional(),
  organizationId: z.string().optional(),
  status: connectionStatusSchema,
  statusReason: z.string().optional(),
  throttledUntil: z.string().optional(),
  isPrimary: z.boolean(),
  revoked: z.boolean(),
  requestsToday: z.number().int(),
  createdAt: z.string(),
});

export const createConnectionRequestSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    environmentUrl: z.string().trim().min(1).max(2048),
    tenantId: guid,
    clientId: guid,
    clientSecret: z.string().min(1).max(4096).optional(),
    certificatePem: z.string().includes('-----BEGIN CERTIFICATE-----').max(65_536).optional(),
    privateKeyPem: z.string().includes('PRIVATE KEY-----').max(65_536).optional(),
    isPrimary: z.boolean().default(false),
  })
  .refine((c) => Boolean(c.clientSecret) !== Boolean(c.certificatePem && c.privateKeyPem), {
    message: 'Give either a client secret, or a certificate with its private key.',
    path: ['clientSecret'],
  });

export const updateConnectionRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  clientSecret: z.string().min(1).max(4096).optional(),
  isPrimary: z.literal(true).optional(),
});

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  status: connectionStatusSchema,
  message: z.string(),
  userId: z.string().optional(),
  userFullName: z.string().optional(),
  organizationId: z.string().optional(),
  businessUnitId: z.string().optional(),
});

export const crmSettingsSchema = z.object({
  allowLeadCreation: z.boolean(),
  allowContactCreation: z.boolean(),
  leadSourceCode: z.number().int().nullable(),
});

export const updateCrmSettingsRequestSchema = z.strictObject({
  allowLeadCreation: z.boolean().optional(),
  allowContactCreation: z.boolean().optional(),
  leadSourceCode: z.number().int().nullable().optional(),
});

export const choiceOptionsSchema = z.object({
  options: z.array(z.object({ value: z.number().int(), label: z.string() })),
});

export const connectionListSchema = z.object({ connections: z.array(connectionSchema) });

/** Where the web UI receives Entra ID's answer; its origin plus this path is the redirect URI to register. */
export const CRM_SIGN_IN_CALLBACK_PATH = '/crm-sign-in/callback';

export const beginUserSignInRequestSchema = z.strictObject({
  /** Registered on the app registration (platform "Web"); Entra ID forbids fragments in it. */
  redirectUri: z
    .url({ protocol: /^https?$/, error: 'Give the absolute http(s) URL Entra ID should return to.' })
    .max(2048)
    .refine((uri) => !uri.includes('#'), 'A redirect URI cannot contain a fragment (#).'),
});

export const beginUserSignInResponseSchema = z.object({
  /** Open this in the browser: Microsoft Entra ID's sign-in page. */
  url: z.string(),
  /** The sign-in must come back before this instant. */
  expiresAt: z.string(),
});

export const completeUserSignInRequestSchema = z.strictObject({
  state: z.string().min(1).max(512),
  code: z.string().min(1).max(8192),
});

/** Who the person is in Dynamics 365 after their own sign-in, and where. */
export const userSignInResultSchema = z.object({
  connection: connectionSchema,
  crmUserId: z.string(),
  crmUserName: z.string().optional(),
  organizationId: z.string(),
});

/** The calling person's own sign-ins, one per connection they are signed in to. */
export const myCrmSignInListSchema = z.object({
  signIns: z.array(z.object({ connectionId: z.string(), signedInAt: z.string() })),
});

export type Connection = z.infer<typeof connectionSchema>;
export type CreateConnectionRequest = z.infer<typeof createConnectionRequestSchema>;
export type UpdateConnectionRequest = z.infer<typeof updateConnectionRequestSchema>;
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
export type CrmSettings = z.infer<typeof crmSettingsSchema>;
export type UpdateCrmSettingsRequest = z.infer<typeof updateCrmSettingsRequestSchema>;
export type ChoiceOptions = z.infer<typeof choiceOptionsSchema>;
export type BeginUserSignInResponse = z.infer<typeof beginUserSignInResponseSchema>;
export type UserSignInResult = z.infer<typeof userSignInResultSchema>;
export type MyCrmSignIns = z.infer<typeof myCrmSignInListSchema>;

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

export type Connection = z.infer<typeof connectionSchema>;
export type CreateConnectionRequest = z.infer<typeof createConnectionRequestSchema>;
export type UpdateConnectionRequest = z.infer<typeof updateConnectionRequestSchema>;
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;
export type CrmSettings = z.infer<typeof crmSettingsSchema>;
export type UpdateCrmSettingsRequest = z.infer<typeof updateCrmSettingsRequestSchema>;
export type ChoiceOptions = z.infer<typeof choiceOptionsSchema>;

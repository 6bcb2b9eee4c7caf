import { z } from 'zod';
import { roleSchema } from './roles.js';

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: z.string(),
  /** Dynamics 365 environments this user has signed in to (delegated OAuth), revocable by admins. */
  crmSignIns: z.array(
    z.object({ connectionId: z.string(), connectionName: z.string(), signedInAt: z.string() }),
  ),
});

export const inviteUserRequestSchema = z.strictObject({
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(200),
  role: roleSchema,
  /** The first password; the user changes it later. At least 12 characters. */
  password: z.string().min(12, 'Use at least 12 characters.').max(1024),
});

export const updateUserRequestSchema = z.strictObject({
  role: roleSchema.optional(),
  disabled: z.boolean().optional(),
});

export const userListSchema = z.object({ users: z.array(userSchema) });

export type User = z.infer<typeof userSchema>;
export type InviteUserRequest = z.infer<typeof inviteUserRequestSchema>;
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;

import { z } from 'zod';
import { roleSchema } from './roles.js';

export const loginRequestSchema = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

export const currentUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: roleSchema,
});

export const sessionResponseSchema = z.object({
  user: currentUserSchema,
  /** Send back as the `x-csrf-token` header on every state-changing request made with the session cookie. */
  csrfToken: z.string(),
});

export const setupRequestSchema = z.strictObject({
  email: z.email().max(320),
  displayName: z.string().trim().min(1).max(200),
  password: z.string().min(12, 'Use at least 12 characters.').max(1024),
});

export const setupStatusSchema = z.object({ needsSetup: z.boolean() });

export type LoginRequest = z.infer<typeof loginRequestSchema>;
export type CurrentUser = z.infer<typeof currentUserSchema>;
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
export type SetupRequest = z.infer<typeof setupRequestSchema>;

import { z } from 'zod';

/** Roles of Leadbridge users (PRODUCT.md "Who uses it"; seed 001's lead-gen administrator and salesperson). */
export const roleSchema = z.enum(['admin', 'lead_gen_admin', 'salesperson']);
export type Role = z.infer<typeof roleSchema>;
export const ROLES: readonly Role[] = roleSchema.options;

import { z } from 'zod';

/** Every error answer of the REST API: `{ "error": { "code", "message", "field"? } }` (codes in docs/errors.md). */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** The offending field's path for validation errors, e.g. `environmentUrl`. */
    field: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

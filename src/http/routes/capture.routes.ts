import { z } from 'zod';
import { captureResponseSchema, csvImportResultSchema } from '../../contracts/index.js';
import { defineRoute } from '../route-definition.js';

const sourceParams = z.object({ sourceId: z.string().min(1).max(64) });

/** Ways leads come in: the capture API and partner feed (source API key) and CSV uploads from the UI. */
export const captureRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:sourceId/leads',
    summary:
      'Capture one lead or up to 1,000: 202 once durably stored. `externalId` per lead or an `Idempotency-Key` header makes a repeated delivery answer with the same ids and create nothing.',
    access: 'source_key',
    params: sourceParams,
    response: captureResponseSchema,
    status: 202,
    handler: async ({ params, request, services }) => {
      const header = request.headers['idempotency-key'];
      return services.capture.capture(params.sourceId, request.body, {
        ...(typeof header === 'string' && { idempotencyKey: header }),
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:sourceId/marketplace-leads',
    summary:
      "The JSON Microsoft's commercial marketplace posts to an HTTPS endpoint lead destination; the key may be given as `?key=` because the marketplace sends no headers of ours",
    access: 'source_key',
    params: sourceParams,
    response: captureResponseSchema,
    status: 202,
    handler: async ({ params, request, services }) =>
      services.capture.captureMarketplaceLead(params.sourceId, request.body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sources/:sourceId/imports',
    summary:
      'Import a CSV file (body `text/csv`, streamed; `?map.<header>=<field>` renames headers): per-row errors with row numbers',
    access: ['admin', 'lead_gen_admin'],
    params: sourceParams,
    query: z.record(z.string().max(200), z.string().max(200)),
    response: csvImportResultSchema,
    handler: async ({ params, query, request, services }) => {
      const headerMapping: Record<string, string> = {};
      for (const [key, value] of Object.entries(query))
        if (key.startsWith('map.')) headerMapping[key.slice(4)] = value;
      const length = Number(request.headers['content-length']);
      return services.capture.importCsv(params.sourceId, request.body as NodeJS.ReadableStream, {
        headerMapping,
        ...(Number.isFinite(length) && { totalBytes: length }),
      });
    },
  }),
];

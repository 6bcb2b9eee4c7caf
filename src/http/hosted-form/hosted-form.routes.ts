import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { LeadbridgeError } from '../../shared/errors.js';
import type { AppServices } from '../app-services.js';
import { formPage, HONEYPOT_FIELD, messagePage, thanksPage } from './form-page.js';

export interface HostedFormOptions {
  /** Submissions per client address and minute (spam guard). */
  readonly submissionsPerMinute?: number;
}

/**
 * The public capture form of each `form` source: GET shows it, POST validates on the server (the
 * same checks as the capture API) and either shows it again with the errors or redirects to the
 * thank-you page (post/redirect/get, so a reload does not resubmit). A filled honeypot field is
 * answered like a success and stored nowhere.
 */
export async function registerHostedForms(
  app: FastifyInstance,
  services: AppServices,
  options: HostedFormOptions = {},
): Promise<void> {
  await app.register(async (forms) => {
    await forms.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    await forms.register(fastifyRateLimit, { global: false });
    forms.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
      const status = error instanceof LeadbridgeError ? error.status : (error.statusCode ?? 500);
      const message =
        status === 404
          ? 'There is no such form.'
          : status === 429
            ? 'Too many submissions; try again in a minute.'
            : 'The form could not be sent.';
      return reply
        .code(status)
        .type('text/html')
        .send(messagePage(status === 404 ? 'Not found' : 'Sorry', message));
    });

    forms.get<{ Params: { sourceId: string } }>('/forms/:sourceId', async (request, reply) => {
      const form = await services.capture.form(request.params.sourceId);
      return reply
        .type('text/html')
        .send(formPage(form, `/forms/${encodeURIComponent(request.params.sourceId)}`));
    });

    forms.post<{ Params: { sourceId: string }; Body: Record<string, unknown> }>(
      '/forms/:sourceId',
      { config: { rateLimit: { max: options.submissionsPerMinute ?? 20, timeWindow: 60_000 } } },
      async (request, reply) => {
        const { sourceId } = request.params;
        const values = textFields(request.body);
        const thanks = `/forms/${encodeURIComponent(sourceId)}/thanks`;
        if (values[HONEYPOT_FIELD]) {
          await services.capture.form(sourceId);
          return reply.redirect(thanks, 303);
        }
        const { errors } = await services.capture.submitForm(sourceId, values);
        if (Object.keys(errors).length === 0) return reply.redirect(thanks, 303);
        const form = await services.capture.form(sourceId);
        return reply
          .code(400)
          .type('text/html')
          .send(formPage(form, `/forms/${encodeURIComponent(sourceId)}`, values, errors));
      },
    );

    forms.get<{ Params: { sourceId: string } }>('/forms/:sourceId/thanks', async (request, reply) => {
      const form = await services.capture.form(request.params.sourceId);
      return reply.type('text/html').send(thanksPage(form));
    });
  });
}

/** Form bodies are strings; a repeated name (not something our forms produce) keeps the first value. */
function textFields(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [name, value] of Object.entries(body)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') values[name] = text.slice(0, 10_000);
  }
  return values;
}

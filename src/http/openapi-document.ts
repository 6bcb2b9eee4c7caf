import { z } from 'zod';
import { apiErrorSchema } from '../contracts/index.js';
import type { RouteDefinition } from './route-definition.js';

/** OpenAPI 3.1 from the route declarations; zod 4 writes the JSON Schemas (`z.toJSONSchema`). */
export function buildOpenApiDocument(routes: readonly RouteDefinition[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schema = (type: z.ZodType, io: 'input' | 'output') => {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io, unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return rest;
  };
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}');
    const parameters = [...route.url.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const status = route.response === undefined ? '204' : String(route.status ?? 200);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      'x-roles': route.access,
      ...(route.access === 'public' ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schema(route.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: route.response
          ? {
              description: 'OK',
              content: { 'application/json': { schema: schema(route.response, 'output') } },
            }
          : { description: 'No content' },
        default: {
          description: 'Error',
          content: { 'application/json': { schema: schema(apiErrorSchema, 'output') } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Leadbridge API', version: '1' },
    components: {
      securitySchemes: {
        apiToken: { type: 'http', scheme: 'bearer', description: 'leadbridge token create --role …' },
        session: { type: 'apiKey', in: 'cookie', name: 'lb_session' },
      },
    },
    security: [{ apiToken: [] }, { session: [] }],
    paths,
  };
}

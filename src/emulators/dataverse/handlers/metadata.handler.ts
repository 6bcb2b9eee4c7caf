import type { OperationContext } from '../environment.js';
import {
  buildCsdl,
  buildServiceDocument,
  handleEntityDefinitions,
  handleGlobalOptionSetDefinitions,
} from '../metadata/index.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { jsonResponse, textResponse } from '../protocol/responses.js';

/** Service document, `$metadata` and the metadata entity sets (EntityDefinitions, GlobalOptionSetDefinitions). */
export function metadataHandler(
  ctx: OperationContext,
  kind: 'service-document' | 'csdl' | 'definitions',
  request: EmulatorRequest,
  path = '',
): EmulatorResponse {
  const { catalog, settings } = ctx.env;
  if (kind === 'service-document') return jsonResponse(200, buildServiceDocument(catalog, ctx.serviceRoot));
  if (kind === 'csdl') return textResponse(200, buildCsdl(catalog), 'application/xml');
  const query = request.url.searchParams;
  const body = path.startsWith('GlobalOptionSetDefinitions')
    ? handleGlobalOptionSetDefinitions(catalog, path, query, ctx.serviceRoot)
    : handleEntityDefinitions(catalog, path, query, ctx.serviceRoot, {
        changeTrackingEnabled: (name) => settings.changeTracking.has(name),
        alternateKeys: (name) =>
          (settings.alternateKeys[name] ?? []).map((key) => ({
            name: key.name,
            keyAttributes: key.attributes,
          })),
      });
  return jsonResponse(200, body);
}

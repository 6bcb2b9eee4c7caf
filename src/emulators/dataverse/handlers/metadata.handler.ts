import type { OperationContext } from '../environment.js';
import {
  buildCsdl,
  buildServiceDocument,
  handleEntityDefinitions,
  handleGlobalOptionSetDefinitions,
  type TableCatalog,
} from '../metadata/index.js';
import type { EmulatorRequest, EmulatorResponse } from '../protocol/emulator-request.js';
import { jsonResponse, textResponse } from '../protocol/responses.js';

/** The CSDL document is large and never changes for a catalog: build it once. */
const csdlCache = new WeakMap<TableCatalog, string>();

/** Service document, `$metadata` and the metadata entity sets (EntityDefinitions, GlobalOptionSetDefinitions). */
export function metadataHandler(
  ctx: OperationContext,
  kind: 'service-document' | 'csdl' | 'definitions',
  request: EmulatorRequest,
  path = '',
): EmulatorResponse {
  const { catalog, settings } = ctx.env;
  if (kind === 'service-document') return jsonResponse(200, buildServiceDocument(catalog, ctx.serviceRoot));
  if (kind === 'csdl') {
    let csdl = csdlCache.get(catalog);
    if (csdl === undefined) {
      csdl = buildCsdl(catalog);
      csdlCache.set(catalog, csdl);
    }
    return textResponse(200, csdl, 'application/xml');
  }
  const query = request.url.searchParams;
  const body = path.startsWith('GlobalOptionSetDefinitions')
    ? handleGlobalOptionSetDefinitions(catalog, path, query, ctx.serviceRoot)
    : handleEntityDefinitions(catalog, path, query, ctx.serviceRoot, {
        changeTrackingEnabled: (name) => settings.changeTracking.has(name),
        alternateKeys: (name) =>
          (settings.alternateKeys[name] ?? []).map((key) => ({ name: key.name, keyAttributes: key.attributes })),
      });
  return jsonResponse(200, body);
}

import { v5 as uuidv5 } from 'uuid';

/**
 * Fixed namespace for every GUID the Entra emulator derives. Any constant works; keeping it fixed is what
 * makes `createDemoEntraDirectory(seed)` produce the same tenant, app and user ids on every run, so the
 * Dataverse seed data (systemusers bound to these ids) and a developer's `.env` stay valid across restarts.
 */
const LEADBRIDGE_ENTRA_NAMESPACE = '6f1d3c1e-4b7a-5c2e-9d8f-2a6b0c4e8f10';

/** A name-based (RFC 9562 version 5) GUID: same parts in, same GUID out. */
export function deterministicGuid(...parts: readonly (string | number)[]): string {
  return uuidv5(parts.map(String).join('\u001f'), LEADBRIDGE_ENTRA_NAMESPACE);
}

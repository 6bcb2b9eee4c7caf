import { v5 as uuidv5 } from 'uuid';

/**
 * Leadbridge's namespace for name-based ids. Fixed forever: seed data, emulator tenants and (later) the
 * deterministic primary keys of synced leads depend on it giving the same GUID for the same name.
 */
const LEADBRIDGE_NAMESPACE = '6f1d3c1e-4b7a-5c2e-9d8f-2a6b0c4e8f10';

/** A name-based (RFC 9562 version 5) GUID: the same parts always give the same GUID. */
export function deterministicGuid(...parts: readonly (string | number)[]): string {
  return uuidv5(parts.map(String).join('\u001f'), LEADBRIDGE_NAMESPACE);
}

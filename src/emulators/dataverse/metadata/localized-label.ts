import { metadataId } from './metadata-identity.js';

/**
 * The Label and managed-property complex types every metadata response is made of
 * (MSDocs webapi/query-metadata-web-api.md: `DisplayName.LocalizedLabels[]` / `UserLocalizedLabel`).
 */
export interface LocalizedLabel {
  readonly Label: string;
  readonly LanguageCode: number;
  readonly IsManaged: boolean;
  readonly MetadataId: string;
  readonly HasChanged: null;
}

export interface Label {
  readonly LocalizedLabels: readonly LocalizedLabel[];
  readonly UserLocalizedLabel: LocalizedLabel | null;
}

export interface ManagedProperty<T> {
  readonly Value: T;
  readonly CanBeChanged: boolean;
  readonly ManagedPropertyLogicalName: string;
}

/** The emulator is an English (United States) organisation, as the published definitions are. */
export const LANGUAGE_CODE = 1033;

/** A label in the org's language; `idNames` identify it so its MetadataId is stable. No text → an empty label. */
export function label(text: string | undefined, ...idNames: readonly string[]): Label {
  if (text === undefined || text === '') return { LocalizedLabels: [], UserLocalizedLabel: null };
  const localized: LocalizedLabel = {
    Label: text,
    LanguageCode: LANGUAGE_CODE,
    // Out-of-box tables ship in Microsoft's managed solutions, so their labels are managed.
    IsManaged: true,
    MetadataId: metadataId('label', ...idNames),
    HasChanged: null,
  };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
}

export function managedProperty<T>(value: T, logicalName: string, canBeChanged = true): ManagedProperty<T> {
  return { Value: value, CanBeChanged: canBeChanged, ManagedPropertyLogicalName: logicalName };
}

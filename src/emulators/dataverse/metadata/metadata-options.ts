/** What the emulator configures about its tables beyond Microsoft's published definitions. */
export interface MetadataOptions {
  /**
   * `EntityMetadata.ChangeTrackingEnabled` per table (protocols/dataverse.md §6: a table must have it for
   * `Prefer: odata.track-changes`). Default: false for every table.
   */
  readonly changeTrackingEnabled?: (logicalName: string) => boolean;
  /** Alternate keys per table, served at `EntityDefinitions(...)/Keys`. Default: none ("By default, no alternate keys are configured"). */
  readonly alternateKeys?: (logicalName: string) => readonly AlternateKeyDefinition[];
}

export interface AlternateKeyDefinition {
  /** The key's schema name, e.g. `contoso_emailkey`. */
  readonly name: string;
  readonly keyAttributes: readonly string[];
}

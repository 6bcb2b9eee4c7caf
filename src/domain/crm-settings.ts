/** What Leadbridge may do in one connected Dynamics 365 environment. */
export interface CrmSettings {
  readonly connectionId: string;
  readonly allowLeadCreation: boolean;
  readonly allowContactCreation: boolean;
  /** Value of the Dataverse `leadsourcecode` choice set on created leads. */
  readonly leadSourceCode?: number;
  readonly updatedAt: string;
}

export interface CrmSettingsInput {
  readonly allowLeadCreation: boolean;
  readonly allowContactCreation: boolean;
  readonly leadSourceCode?: number;
}

export interface CrmSettingsRepository {
  /** Undefined until settings were saved for the connection. */
  get(connectionId: string): Promise<CrmSettings | undefined>;
  /** Replaces the connection's settings whole. */
  upsert(connectionId: string, settings: CrmSettingsInput): Promise<CrmSettings>;
}

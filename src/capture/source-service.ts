import type {
  CreateSourceRequest,
  CrmColumns,
  MappingPreview,
  MappingPreviewRequest,
  Source,
  SourceApiKeyInfo,
  IssuedSourceApiKeyInfo,
  UpdateSourceRequest,
} from '../contracts/index.js';
import {
  DEFAULT_DUPLICATE_POLICY,
  type AuditLog,
  type CrmConnection,
  type CrmConnectionRepository,
  type CrmCredentialSource,
  type CrmRecordGateway,
  type CrmTable,
  type FieldMapping,
  type InboundLeadRepository,
  type LeadSource,
  type LeadSourceChanges,
  type LeadSourceRepository,
  type NewLeadSource,
  type SourceApiKeyRepository,
  type SourceMappings,
  type TableMetadata,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { DEFAULT_FORM_FIELDS, defaultMapping } from './default-mappings.js';
import { mappingInvalidError, previewMapping, validateMapping } from './mapping-validation.js';

export interface SourceServiceDeps {
  readonly sources: LeadSourceRepository;
  readonly leads: Pick<InboundLeadRepository, 'countByStatus'>;
  readonly apiKeys: SourceApiKeyRepository;
  readonly connections: Pick<CrmConnectionRepository, 'get' | 'getPrimary'> & CrmCredentialSource;
  readonly records: Pick<CrmRecordGateway, 'tableMetadata'>;
  readonly audit: AuditLog;
}

interface Actor {
  readonly user?: { readonly id: string };
}

/**
 * Lead sources as admins manage them. Mappings are checked against the target environment's live
 * metadata whenever they are saved, so a bad column or choice shows up here and not as dead letters.
 */
export class SourceService {
  constructor(private readonly deps: SourceServiceDeps) {}

  async list(): Promise<Source[]> {
    const sources = await this.deps.sources.list();
    return Promise.all(sources.map((source) => this.view(source)));
  }

  async get(id: string): Promise<Source> {
    return this.view(await this.require(id));
  }

  async create(request: CreateSourceRequest, actor: Actor): Promise<Source> {
    // zod types optional fields as `T | undefined`; the parsed values never hold an explicit undefined.
    const fields = request.fields ?? DEFAULT_FORM_FIELDS;
    const input: NewLeadSource = {
      name: request.name,
      kind: request.kind,
      ...(request.connectionId && { connectionId: request.connectionId }),
      fields,
      mappings: request.mappings ?? {
        lead: defaultMapping('lead', fields),
        contact: defaultMapping('contact', fields),
      },
      duplicates: request.duplicates ?? { mode: 'policy', policy: DEFAULT_DUPLICATE_POLICY },
      ...(request.ownerSystemUserId && { ownerSystemUserId: request.ownerSystemUserId }),
      ...(request.campaignId && { campaignId: request.campaignId }),
      ...(request.marketingListId && { marketingListId: request.marketingListId }),
      ...(request.fieldRules && { fieldRules: request.fieldRules }),
      syncIntervalMinutes: request.syncIntervalMinutes,
      enabled: request.enabled,
    };
    await this.checkMappings(input);
    const source = await this.deps.sources.create(input);
    await this.audit(actor, 'lead_source.create', source.id, { name: source.name, kind: source.kind });
    return this.view(source);
  }

  async update(id: string, request: UpdateSourceRequest, actor: Actor): Promise<Source> {
    const current = await this.require(id);
    const { ownerSystemUserId, campaignId, marketingListId, ...rest } = request;
    // `null` clears a reference; the store takes it as such (absent leaves it as it is).
    const changes = {
      ...definedOnly(rest),
      ...(ownerSystemUserId !== undefined && { ownerSystemUserId }),
      ...(campaignId !== undefined && { campaignId }),
      ...(marketingListId !== undefined && { marketingListId }),
    };
    const next = { ...current, ...changes } as LeadSource;
    if (request.mappings || request.fields || request.connectionId) await this.checkMappings(next);
    const saved = await this.deps.sources.update(id, changes as LeadSourceChanges);
    await this.audit(actor, 'lead_source.update', id, { changed: Object.keys(request) });
    return this.view(saved);
  }

  async delete(id: string, actor: Actor): Promise<void> {
    await this.require(id);
    await this.deps.sources.delete(id);
    await this.audit(actor, 'lead_source.delete', id, {});
  }

  async crmColumns(id: string, table: CrmTable): Promise<CrmColumns> {
    const metadata = await this.metadata(await this.require(id), table);
    return {
      table,
      columns: [...metadata.columns.values()]
        .filter((column) => column.validForCreate !== false)
        .sort((a, b) => a.logicalName.localeCompare(b.logicalName))
        .map((column) => ({
          logicalName: column.logicalName,
          ...(column.displayName && { displayName: column.displayName }),
          type: column.type,
          requiredLevel: column.requiredLevel,
          ...(column.maxLength !== undefined && { maxLength: column.maxLength }),
          ...(column.options && { options: column.options.map((o) => ({ value: o.value, label: o.label })) }),
        })),
    };
  }

  async previewMapping(id: string, request: MappingPreviewRequest): Promise<MappingPreview> {
    const source = await this.require(id);
    const metadata = await this.metadata(source, request.mapping.table);
    const mapping = request.mapping as FieldMapping;
    const problems = validateMapping(mapping, metadata, source.fields);
    const samples = previewMapping(mapping, metadata, request.samples).map((result) =>
      result.ok
        ? { record: result.record }
        : { errors: result.errors.map((error) => ({ column: error.column, message: error.message })) },
    );
    return { problems: [...problems], samples };
  }

  async listApiKeys(id: string): Promise<SourceApiKeyInfo[]> {
    await this.require(id);
    return (await this.deps.apiKeys.listForSource(id)).map(keyView);
  }

  async createApiKey(id: string, actor: Actor): Promise<IssuedSourceApiKeyInfo> {
    await this.require(id);
    const issued = await this.deps.apiKeys.create(id);
    await this.audit(actor, 'lead_source.api_key_create', id, { keyId: issued.key.id });
    return { ...keyView(issued.key), key: issued.plainKey };
  }

  async revokeApiKey(id: string, keyId: string, actor: Actor): Promise<SourceApiKeyInfo> {
    await this.require(id);
    const keys = await this.deps.apiKeys.listForSource(id);
    if (!keys.some((key) => key.id === keyId))
      throw new LeadbridgeError('not_found', `The source has no API key ${keyId}.`);
    const revoked = await this.deps.apiKeys.revoke(keyId);
    await this.audit(actor, 'lead_source.api_key_revoke', id, { keyId });
    return keyView(revoked);
  }

  /** The connection a source's leads go to: its own, else the organisation's primary. */
  async connectionFor(source: Pick<LeadSource, 'connectionId'>): Promise<CrmConnection> {
    const connection = source.connectionId
      ? await this.deps.connections.get(source.connectionId)
      : await this.deps.connections.getPrimary();
    if (!connection || connection.revokedAt)
      throw new LeadbridgeError(
        'no_crm_connection',
        source.connectionId
          ? `The source's connection ${source.connectionId} is gone or revoked.`
          : 'Add a Dynamics 365 connection and mark it primary.',
      );
    return connection;
  }

  private async checkMappings(
    source: Pick<LeadSource, 'connectionId' | 'mappings' | 'fields'>,
  ): Promise<void> {
    const mappings: SourceMappings = source.mappings;
    for (const table of ['lead', 'contact', 'account'] as const) {
      const mapping = mappings[table];
      if (!mapping) continue;
      if (mapping.table !== table)
        throw new LeadbridgeError('invalid_body', `mappings.${table}: its table is "${mapping.table}".`);
      const problems = validateMapping(mapping, await this.metadata(source, table), source.fields);
      if (problems.length > 0) throw mappingInvalidError(problems);
    }
  }

  private async metadata(source: Pick<LeadSource, 'connectionId'>, table: CrmTable): Promise<TableMetadata> {
    const connection = await this.connectionFor(source);
    const credentials = await this.deps.connections.readCredentials(connection.id);
    return this.deps.records.tableMetadata(connection, credentials, table);
  }

  private async require(id: string): Promise<LeadSource> {
    const source = await this.deps.sources.get(id);
    if (!source) throw new LeadbridgeError('not_found', `There is no lead source ${id}.`);
    return source;
  }

  private async view(source: LeadSource): Promise<Source> {
    const counts = await this.deps.leads.countByStatus(source.id);
    return {
      id: source.id,
      name: source.name,
      kind: source.kind,
      ...(source.connectionId && { connectionId: source.connectionId }),
      fields: source.fields as unknown as Source['fields'],
      mappings: source.mappings as Source['mappings'],
      duplicates: source.duplicates,
      ...(source.ownerSystemUserId && { ownerSystemUserId: source.ownerSystemUserId }),
      ...(source.campaignId && { campaignId: source.campaignId }),
      ...(source.marketingListId && { marketingListId: source.marketingListId }),
      ...(source.fieldRules && { fieldRules: { ...source.fieldRules } }),
      syncIntervalMinutes: source.syncIntervalMinutes,
      enabled: source.enabled,
      ...(source.kind === 'form' && { formUrl: `/forms/${source.id}` }),
      leadCounts: { ...counts },
      createdAt: source.createdAt,
      updatedAt: source.updatedAt,
    };
  }

  private async audit(actor: Actor, action: string, subject: string, details: Record<string, unknown>) {
    await this.deps.audit.append({
      ...(actor.user && { actorUserId: actor.user.id }),
      action,
      subject,
      details,
    });
  }
}

function keyView(key: { id: string; createdAt: string; revokedAt?: string }): SourceApiKeyInfo {
  return { id: key.id, createdAt: key.createdAt, ...(key.revokedAt && { revokedAt: key.revokedAt }) };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { LRUCache } from 'lru-cache';
import type { CaptureResponse, CsvImportResult } from '../contracts/index.js';
import type {
  InboundLeadRepository,
  LeadPayload,
  LeadSource,
  LeadSourceRepository,
  NewInboundLead,
  SourceApiKeyRepository,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { AcceptBatcher } from './accept-batcher.js';
import { captureIssuesError, checkLead, parseCaptureBody } from './capture-payload.js';
import { readCsvLeads } from './csv-import.js';
import { idempotencyKeyFor } from './idempotency-key.js';
import { marketplaceLeadToPayload, parseMarketplaceLead } from './marketplace-lead.js';
import type { SourceService } from './source-service.js';

export interface CaptureServiceDeps {
  readonly sources: Pick<LeadSourceRepository, 'get'>;
  readonly leads: Pick<InboundLeadRepository, 'accept'>;
  readonly apiKeys: Pick<SourceApiKeyRepository, 'verify'>;
  readonly sourceService: Pick<SourceService, 'connectionFor'>;
  /** Called after leads were stored: wakes the worker (the instant trigger). */
  readonly onAccepted?: () => void;
}

/** Leads stored per transaction during a CSV import. */
const CSV_CHUNK = 1_000;
/** Failed rows reported back in full; the rest are counted. */
const CSV_REPORTED_ERRORS = 1_000;

export interface CsvImportProgress {
  readonly bytesRead: number;
  readonly totalBytes?: number;
  readonly rows: number;
}

/**
 * Step 1 of the main flow (DESIGN.md §4) for every way in: validate, then store the leads with their
 * idempotency keys and one sync job each in one transaction. Nothing is stored unless the whole
 * request is valid; a repeated delivery answers with the ids stored the first time.
 */
/**
 * How long the capture path trusts what it read about a key, a source and its connection. Busy
 * sources send thousands of requests a second; a second's staleness means a revoked key or a
 * disabled source stops being accepted within a second, not instantly.
 */
const LOOKUP_TTL_MS = 1_000;

export class CaptureService {
  private readonly batcher: AcceptBatcher;
  private readonly keys = new LRUCache<string, { sourceId: string }>({ max: 10_000, ttl: LOOKUP_TTL_MS });
  private readonly sources = new LRUCache<string, { source: LeadSource; connectionId: string }>({
    max: 1_000,
    ttl: LOOKUP_TTL_MS,
  });

  constructor(private readonly deps: CaptureServiceDeps) {
    this.batcher = new AcceptBatcher(deps.leads);
  }

  async authenticate(sourceId: string, key: string | undefined): Promise<void> {
    let found = key ? this.keys.get(key) : undefined;
    if (key && !found) {
      const verified = await this.deps.apiKeys.verify(key);
      if (verified) this.keys.set(key, (found = { sourceId: verified.sourceId }));
    }
    if (!found || found.sourceId !== sourceId)
      throw new LeadbridgeError(
        'invalid_api_key',
        key
          ? 'The key is unknown, revoked, or belongs to another source.'
          : 'Send it as `Authorization: Bearer <key>`.',
      );
  }

  async capture(
    sourceId: string,
    body: unknown,
    options: { idempotencyKey?: string },
  ): Promise<CaptureResponse> {
    const source = await this.acceptingSource(sourceId);
    const parsed = parseCaptureBody(body, source.fields);
    if (!parsed.ok) throw captureIssuesError(parsed.error);
    const { leads, batch } = parsed.value;
    return this.store(
      source,
      leads.map((payload, index) => ({
        sourceId,
        idempotencyKey: idempotencyKeyFor(
          sourceId,
          payload,
          options.idempotencyKey,
          batch ? index : undefined,
        ),
        payload: withoutExternalId(payload),
      })),
    );
  }

  async captureMarketplaceLead(sourceId: string, body: unknown): Promise<CaptureResponse> {
    const source = await this.acceptingSource(sourceId);
    const parsed = parseMarketplaceLead(body);
    if (!parsed.ok) throw new LeadbridgeError('invalid_body', parsed.error.join('; '));
    const payload = marketplaceLeadToPayload(parsed.value);
    return this.store(source, [{ sourceId, idempotencyKey: idempotencyKeyFor(sourceId, payload), payload }]);
  }

  /**
   * Streams a CSV file into the store in chunks of 1,000 rows. Valid rows are kept even when others
   * fail: each failure is reported with its row number, to fix and import again (known rows are
   * recognised by their payload hash and not stored twice).
   */
  async importCsv(
    sourceId: string,
    input: AsyncIterable<Buffer | string> | NodeJS.ReadableStream,
    options: {
      readonly headerMapping?: Readonly<Record<string, string>>;
      readonly totalBytes?: number;
      readonly onProgress?: (progress: CsvImportProgress) => void;
    } = {},
  ): Promise<CsvImportResult> {
    const source = await this.acceptingSource(sourceId);
    const result = {
      rows: 0,
      accepted: 0,
      duplicates: 0,
      failed: 0,
      errors: [] as { row: number; errors: string[] }[],
    };
    let chunk: NewInboundLead[] = [];
    let bytesRead = 0;
    const flush = async () => {
      if (chunk.length === 0) return;
      const accepted = await this.store(source, chunk);
      for (const lead of accepted.leads)
        if (lead.duplicate) result.duplicates += 1;
        else result.accepted += 1;
      chunk = [];
    };
    const rows = readCsvLeads(input as AsyncIterable<Buffer | string>, {
      fields: source.fields,
      ...(options.headerMapping &&
        Object.keys(options.headerMapping).length > 0 && { headerMap: options.headerMapping }),
      ...(options.totalBytes !== undefined && { totalBytes: options.totalBytes }),
      onProgress: (progress) => {
        bytesRead = progress.bytesRead;
      },
    });
    for await (const row of rows) {
      result.rows += 1;
      if ('errors' in row) {
        result.failed += 1;
        if (result.errors.length < CSV_REPORTED_ERRORS)
          result.errors.push({ row: row.row, errors: [...row.errors] });
      } else {
        chunk.push({
          sourceId,
          idempotencyKey: idempotencyKeyFor(sourceId, row.payload),
          payload: row.payload,
        });
        if (chunk.length >= CSV_CHUNK) await flush();
      }
      if (result.rows % CSV_CHUNK === 0)
        options.onProgress?.({
          bytesRead,
          rows: result.rows,
          ...(options.totalBytes !== undefined && { totalBytes: options.totalBytes }),
        });
    }
    await flush();
    options.onProgress?.({
      bytesRead,
      rows: result.rows,
      ...(options.totalBytes !== undefined && { totalBytes: options.totalBytes }),
    });
    return result;
  }

  async form(sourceId: string): Promise<LeadSource> {
    const source = await this.deps.sources.get(sourceId);
    if (!source || source.kind !== 'form' || !source.enabled)
      throw new LeadbridgeError('not_found', 'There is no such form.');
    return source;
  }

  /** A hosted-form submission: errors per field to show on the form again, or stored. */
  async submitForm(
    sourceId: string,
    fields: Readonly<Record<string, string>>,
  ): Promise<{ errors: Record<string, string> }> {
    const source = await this.form(sourceId);
    const payload: Record<string, string> = {};
    for (const field of source.fields) {
      const value = fields[field.name]?.trim();
      if (value) payload[field.name] = value;
    }
    const issues = checkLead(payload, source.fields);
    if (issues.length > 0) {
      const errors: Record<string, string> = {};
      for (const issue of issues) errors[issue.path] ??= issue.message.slice(issue.path.length + 2);
      return { errors };
    }
    await this.store(source, [{ sourceId, idempotencyKey: idempotencyKeyFor(sourceId, payload), payload }]);
    return { errors: {} };
  }

  private async acceptingSource(sourceId: string): Promise<LeadSource> {
    const cached = this.sources.get(sourceId)?.source;
    if (cached) return cached;
    const source = await this.deps.sources.get(sourceId);
    if (!source) throw new LeadbridgeError('not_found', `There is no lead source ${sourceId}.`);
    if (!source.enabled) throw new LeadbridgeError('source_disabled', `"${source.name}" is switched off.`);
    return source;
  }

  private async store(source: LeadSource, leads: readonly NewInboundLead[]): Promise<CaptureResponse> {
    let connectionId = this.sources.get(source.id)?.connectionId;
    if (!connectionId) {
      connectionId = (await this.deps.sourceService.connectionFor(source)).id;
      this.sources.set(source.id, { source, connectionId });
    }
    const accepted = await this.batcher.accept(leads, connectionId);
    if (accepted.some((lead) => !lead.duplicate)) this.deps.onAccepted?.();
    return { leads: accepted.map((lead) => ({ id: lead.id, duplicate: lead.duplicate })) };
  }
}

/** `externalId` is the idempotency key, not a field of the lead. */
function withoutExternalId(payload: LeadPayload): LeadPayload {
  if (!('externalId' in payload)) return payload;
  const { externalId: _externalId, ...rest } = payload;
  return rest;
}

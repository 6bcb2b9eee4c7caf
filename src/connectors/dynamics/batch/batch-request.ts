import { LeadbridgeError } from '../../../shared/errors.js';

/**
 * `$batch` requests (docs/protocols/dataverse.md §3; MSDocs execute-batch-operations-using-web-api):
 * a `multipart/mixed` body whose parts are HTTP requests, change sets being nested multiparts that
 * Dataverse runs atomically. Built here rather than borrowed from the emulator's codec: connectors and
 * emulators never import each other, so each stays an independent reading of the protocol.
 */

export type BatchMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface BatchOperation {
  readonly method: BatchMethod;
  /**
   * Relative to the service root (`leads`, `leads(<id>)?$select=fullname`), or, inside a change set,
   * a reference to an earlier part's new row: `$1`, `$1/primarycontactid/$ref`.
   */
  readonly path: string;
  /** Serialised as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Names this part so later parts of the same change set can say `$<contentId>` (in paths or binds). */
  readonly contentId?: string;
}

export interface BatchChangeSet {
  readonly changeSet: readonly BatchOperation[];
}

export type BatchItem = BatchOperation | BatchChangeSet;

export interface BuiltBatch {
  readonly contentType: string;
  readonly body: string;
  /** Operations in the batch: what the entitlement counts (§3). */
  readonly operationCount: number;
}

/** Dataverse refuses larger batches (§3). */
export const MAX_BATCH_OPERATIONS = 1000;

const CRLF = '\r\n';

export function isChangeSet(item: BatchItem): item is BatchChangeSet {
  return 'changeSet' in item;
}

function invalid(message: string): LeadbridgeError {
  return new LeadbridgeError('crm_validation_failed', `Batch: ${message}`);
}

function singleLine(value: string, what: string): string {
  if (/[\r\n]/.test(value)) throw invalid(`${what} must not contain a line break.`);
  return value;
}

function requestTarget(path: string, servicePath: string, inChangeSet: boolean): string {
  singleLine(path, 'a path');
  if (/\s/.test(path.split('?')[0] ?? '')) throw invalid(`'${path}' must not contain spaces.`);
  // A space would end the request target of the part's request line; in a query it is %20 anyway.
  path = path.replaceAll(' ', '%20');
  if (path.startsWith('$')) {
    if (!inChangeSet)
      throw invalid(`'${path}' refers to a Content-ID, which only works inside a change set.`);
    return path;
  }
  if (/^[a-z]+:\/\//i.test(path) || path.startsWith('/'))
    throw invalid(`'${path}' must be relative to the service root (e.g. 'leads').`);
  return `${servicePath}${path}`;
}

function operationPart(
  operation: BatchOperation,
  servicePath: string,
  contentId: string | undefined,
  inChangeSet: boolean,
): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) mime.push(`Content-ID: ${singleLine(contentId, 'a Content-ID')}`);
  const lines = [`${operation.method} ${requestTarget(operation.path, servicePath, inChangeSet)} HTTP/1.1`];
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (operation.body !== undefined) headers['Content-Type'] = 'application/json; type=entry';
  for (const [name, value] of Object.entries(operation.headers ?? {}))
    headers[singleLine(name, 'a header name')] = singleLine(value, `header ${name}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  const body = operation.body === undefined ? '' : JSON.stringify(operation.body);
  return `${mime.join(CRLF)}${CRLF}${CRLF}${lines.join(CRLF)}${CRLF}${CRLF}${body}`;
}

/**
 * Builds the multipart body. Every part of a change set gets a Content-ID (its own, or the next free
 * number), so the response parts can be matched back even if the service reorders nothing else.
 * `newId` names the boundaries (a GUID in production, fixed in tests).
 */
export function buildBatchRequest(
  items: readonly BatchItem[],
  options: { readonly servicePath: string; readonly newId: () => string },
): BuiltBatch {
  const operationCount = items.reduce(
    (sum, item) => sum + (isChangeSet(item) ? item.changeSet.length : 1),
    0,
  );
  if (items.length === 0) throw invalid('a batch needs at least one operation.');
  if (operationCount > MAX_BATCH_OPERATIONS)
    throw invalid(
      `${operationCount} operations; Dataverse accepts at most ${MAX_BATCH_OPERATIONS} in one batch.`,
    );

  const used = new Set<string>();
  for (const item of items)
    for (const operation of isChangeSet(item) ? item.changeSet : [item])
      if (operation.contentId !== undefined) {
        if (used.has(operation.contentId)) throw invalid(`Content-ID ${operation.contentId} is used twice.`);
        used.add(operation.contentId);
      }
  let nextNumber = 1;
  const freeContentId = () => {
    while (used.has(String(nextNumber))) nextNumber++;
    used.add(String(nextNumber));
    return String(nextNumber);
  };

  const batchBoundary = `batch_${options.newId()}`;
  const parts: string[] = [];
  for (const item of items) {
    if (!isChangeSet(item)) {
      if (item.contentId !== undefined)
        throw invalid('a Content-ID only means something inside a change set.');
      parts.push(operationPart(item, options.servicePath, undefined, false));
      continue;
    }
    if (item.changeSet.length === 0) throw invalid('a change set needs at least one operation.');
    const changeSetBoundary = `changeset_${options.newId()}`;
    const inner = item.changeSet.map((operation) => {
      if (operation.method === 'GET')
        throw invalid('a change set cannot hold a GET (only writes run atomically).');
      return `--${changeSetBoundary}${CRLF}${operationPart(operation, options.servicePath, operation.contentId ?? freeContentId(), true)}`;
    });
    parts.push(
      `Content-Type: multipart/mixed; boundary=${changeSetBoundary}${CRLF}${CRLF}${inner.join(CRLF)}${CRLF}--${changeSetBoundary}--`,
    );
  }
  const body = `${parts.map((part) => `--${batchBoundary}${CRLF}${part}`).join(CRLF)}${CRLF}--${batchBoundary}--${CRLF}`;
  return { contentType: `multipart/mixed; boundary=${batchBoundary}`, body, operationCount };
}

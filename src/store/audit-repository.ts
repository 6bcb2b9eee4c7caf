import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AuditEvent, AuditLog, NewAuditEvent } from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { idSchema, parseInput } from './input-validation.js';
import { newId } from './new-id.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase } from './store-database.js';
import { translateStoreErrors } from './store-errors.js';
import type { AuditEventsTable } from './store-schema.js';

const newEventSchema = z.strictObject({
  actorUserId: idSchema.optional(),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, 'expected a dotted lowercase name')
    .max(100),
  subject: z.string().min(1).max(500).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

const listSchema = z.strictObject({
  limit: z.number().int().min(1).max(1000).default(100),
  subject: z.string().min(1).max(500).optional(),
});

/** Keys whose values are never written to the audit log, whatever a caller passes. */
const SECRET_KEY_PATTERN =
  /secret|password|passwd|token|private.?key|api.?key|credential|authorization|cookie/i;
const REDACTED = '[redacted]';

/** The audit trail: append-only, newest first when read. */
export class SqlAuditLog implements AuditLog {
  readonly #store: StoreDatabase;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const checked = parseInput(newEventSchema, event, 'audit event');
    const details = JSON.stringify(redactSecrets(checked.details ?? {}));
    const row: Selectable<AuditEventsTable> = {
      id: newId(),
      at: isoNow(this.#clock),
      actor_user_id: checked.actorUserId ?? null,
      action: checked.action,
      subject: checked.subject ?? null,
      details,
    };
    await translateStoreErrors(() => this.#store.db.insertInto('audit_events').values(row).execute(), {
      foreignKey: `No user ${checked.actorUserId ?? ''}.`,
    });
    return toEvent(row);
  }

  async listRecent(options: { readonly limit?: number; readonly subject?: string } = {}) {
    const { limit, subject } = parseInput(listSchema, options, 'audit query');
    let query = this.#store.db.selectFrom('audit_events').selectAll();
    if (subject !== undefined) query = query.where('subject', '=', subject);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEvent);
  }
}

/** A JSON copy of the details (toJSON applied, so masked values stay masked), secret-looking keys redacted. */
function redactSecrets(details: Readonly<Record<string, unknown>>): unknown {
  let plain: unknown;
  try {
    plain = JSON.parse(JSON.stringify(details));
  } catch (error) {
    throw new LeadbridgeError(
      'invalid_body',
      `Invalid audit event: details are not JSON (${String(error)}).`,
    );
  }
  return redact(plain);
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      SECRET_KEY_PATTERN.test(key) ? REDACTED : redact(inner),
    ]),
  );
}

function toEvent(row: Selectable<AuditEventsTable>): AuditEvent {
  const details: unknown = JSON.parse(row.details);
  return {
    id: row.id,
    at: row.at,
    ...(row.actor_user_id !== null && { actorUserId: row.actor_user_id }),
    action: row.action,
    ...(row.subject !== null && { subject: row.subject }),
    details: details !== null && typeof details === 'object' ? (details as Record<string, unknown>) : {},
  };
}

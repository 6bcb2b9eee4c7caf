import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type {
  CrmAuthKind,
  CrmConnection,
  CrmConnectionChanges,
  CrmConnectionRepository,
  CrmConnectionStatus,
  CrmConnectionStatusChange,
  CrmCredentials,
  CrmCredentialSource,
  NewCrmConnection,
} from '../domain/index.js';
import { LeadbridgeError } from '../shared/index.js';
import { guidSchema, instantSchema, parseInput } from './input-validation.js';
import { maskSecretsInLogs } from './log-masking.js';
import { newId } from './new-id.js';
import type { SecretKey } from './secrets/secret-key.js';
import { isoNow, systemClock, type StoreClock } from './store-clock.js';
import type { StoreDatabase, StoreDialect } from './store-database.js';
import { toLeadbridgeError } from './store-errors.js';
import type { CrmConnectionsTable, StoreSchema } from './store-schema.js';

const STATUSES: { readonly [K in CrmConnectionStatus]: K } = {
  active: 'active',
  needs_reauthorization: 'needs_reauthorization',
  throttled: 'throttled',
  unreachable: 'unreachable',
  untested: 'untested',
};
const AUTH_KINDS: { readonly [K in CrmAuthKind]: K } = {
  client_secret: 'client_secret',
  certificate: 'certificate',
};

/** Entra accepts a tenant's GUID or one of its verified domain names. */
const tenantSchema = z.union([
  guidSchema,
  z
    .string()
    .trim()
    .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'expected a tenant GUID or domain name')
    .transform((value) => value.toLowerCase()),
]);

/** Dataverse environments are addressed by origin: `https://org.crm.dynamics.com/` (port allowed). */
const environmentUrlSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected an https:// URL' });
      return z.NEVER;
    }
    if (
      url.protocol !== 'https:' ||
      url.username ||
      url.password ||
      url.search ||
      url.hash ||
      url.pathname !== '/'
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected the environment origin, like https://org.crm.dynamics.com/',
      });
      return z.NEVER;
    }
    return `https://${url.host}/`;
  });

const thumbprintSchema = z
  .string()
  .transform((value) => value.replace(/[\s:]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[0-9A-F]{40}$/, 'expected a SHA-1 thumbprint (40 hex digits)'));

const pemSchema = (label: string) =>
  z
    .string()
    .refine((value) => value.includes(`-----BEGIN `) && value.includes(label), `expected a PEM ${label}`);

const clientSecretCredentialsSchema = z.strictObject({ clientSecret: z.string().min(1).max(4096) });
const certificateCredentialsSchema = z.strictObject({
  certificatePem: pemSchema('CERTIFICATE'),
  privateKeyPem: pemSchema('PRIVATE KEY'),
});

const nameSchema = z.string().trim().min(1).max(200);

const newConnectionSchema = z.strictObject({
  name: nameSchema,
  environmentUrl: environmentUrlSchema,
  tenantId: tenantSchema,
  clientId: guidSchema,
  authKind: z.enum(AUTH_KINDS),
  certificateThumbprint: thumbprintSchema.optional(),
  credentials: z.unknown(),
});

const changesSchema = newConnectionSchema.partial();

const statusChangeSchema = z.strictObject({
  status: z.enum(STATUSES),
  statusReason: z.string().max(4000).optional(),
  throttledUntil: instantSchema.optional(),
  organizationId: guidSchema.optional(),
});

/** What a sealed credential is bound to: this row's credentials and nothing else. */
export const credentialsContext = (connectionId: string): string =>
  `crm_connections.credentials:${connectionId}`;

/** Parses credentials against the auth kind: exactly the secret that kind needs, and its thumbprint. */
function checkCredentials(
  authKind: CrmAuthKind,
  credentials: unknown,
  thumbprint: string | undefined,
): CrmCredentials {
  if (authKind === 'client_secret') {
    if (thumbprint !== undefined)
      throw new LeadbridgeError(
        'invalid_body',
        'Invalid connection: a client secret connection has no certificate thumbprint.',
      );
    return parseInput(clientSecretCredentialsSchema, credentials, 'client secret credentials');
  }
  if (thumbprint === undefined)
    throw new LeadbridgeError(
      'invalid_body',
      'Invalid connection: certificateThumbprint is required for certificate connections.',
    );
  return parseInput(certificateCredentialsSchema, credentials, 'certificate credentials');
}

const UNIQUE_ENVIRONMENT = 'That Dynamics 365 environment is already connected.';

/**
 * CRM connections. Secrets are sealed with the store's key in `credentials_sealed` and leave only
 * through `readCredentials` (the connector's `CrmCredentialSource`); connections themselves carry none.
 * Choosing the primary connection runs in a transaction, serialised on PostgreSQL by an advisory lock,
 * with a partial unique index as the last word on both dialects.
 */
export class SqlCrmConnectionRepository implements CrmConnectionRepository, CrmCredentialSource {
  readonly #store: StoreDatabase;
  readonly #key: SecretKey;
  readonly #clock: StoreClock;

  constructor(store: StoreDatabase, key: SecretKey, options: { readonly clock?: StoreClock } = {}) {
    this.#store = store;
    this.#key = key;
    this.#clock = options.clock ?? systemClock;
  }

  async create(input: NewCrmConnection): Promise<CrmConnection> {
    const connection = parseInput(newConnectionSchema, input, 'connection');
    const credentials = checkCredentials(
      connection.authKind,
      connection.credentials,
      connection.certificateThumbprint,
    );
    const id = newId();
    const now = isoNow(this.#clock);
    return this.#inPrimaryTransaction(async (trx) => {
      const primary = await primaryId(trx);
      const row: Selectable<CrmConnectionsTable> = {
        id,
        name: connection.name,
        environment_url: connection.environmentUrl,
        tenant_id: connection.tenantId,
        client_id: connection.clientId,
        auth_kind: connection.authKind,
        certificate_thumbprint: connection.certificateThumbprint ?? null,
        organization_id: null,
        status: 'untested',
        status_reason: null,
        throttled_until: null,
        is_primary: primary === undefined ? 1 : 0,
        revoked_at: null,
        credentials_sealed: this.#key.seal(JSON.stringify(credentials), credentialsContext(id)),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('crm_connections').values(row).execute();
      return toConnection(row);
    });
  }

  async get(id: string): Promise<CrmConnection | undefined> {
    const row = await this.#store.db
      .selectFrom('crm_connections')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async list(options: { readonly includeRevoked?: boolean } = {}): Promise<readonly CrmConnection[]> {
    let query = this.#store.db.selectFrom('crm_connections').selectAll();
    if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(toConnection);
  }

  async getPrimary(): Promise<CrmConnection | undefined> {
    const row = await this.#store.db
      .selectFrom('crm_connections')
      .selectAll()
      .where('is_primary', '=', 1)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async update(id: string, changes: CrmConnectionChanges): Promise<CrmConnection> {
    const checked = parseInput(changesSchema, changes, 'connection changes');
    return this.#inTransaction(async (trx) => {
      const current = await liveRow(trx, id);
      const authKind = checked.authKind ?? (current.auth_kind as CrmAuthKind);
      const authKindChanged = authKind !== current.auth_kind;
      if (
        (authKindChanged || checked.certificateThumbprint !== undefined) &&
        checked.credentials === undefined
      )
        throw new LeadbridgeError(
          'invalid_body',
          'Invalid connection changes: changing the auth kind or certificate needs the new credentials.',
        );
      // New credentials come with their own thumbprint (or none); otherwise nothing about them changes.
      const thumbprint =
        checked.credentials === undefined
          ? (current.certificate_thumbprint ?? undefined)
          : checked.certificateThumbprint;
      const credentials =
        checked.credentials === undefined
          ? undefined
          : checkCredentials(authKind, checked.credentials, thumbprint);
      const identityChanged =
        (checked.environmentUrl !== undefined && checked.environmentUrl !== current.environment_url) ||
        (checked.tenantId !== undefined && checked.tenantId !== current.tenant_id) ||
        (checked.clientId !== undefined && checked.clientId !== current.client_id);
      const mustRetest = identityChanged || authKindChanged || credentials !== undefined;
      const row = await trx
        .updateTable('crm_connections')
        .set({
          ...(checked.name !== undefined && { name: checked.name }),
          ...(checked.environmentUrl !== undefined && { environment_url: checked.environmentUrl }),
          ...(checked.tenantId !== undefined && { tenant_id: checked.tenantId }),
          ...(checked.clientId !== undefined && { client_id: checked.clientId }),
          auth_kind: authKind,
          certificate_thumbprint: thumbprint ?? null,
          ...(credentials !== undefined && {
            credentials_sealed: this.#key.seal(JSON.stringify(credentials), credentialsContext(id)),
          }),
          ...(mustRetest && { status: 'untested', status_reason: null, throttled_until: null }),
          ...(identityChanged && { organization_id: null }),
          updated_at: isoNow(this.#clock),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      // Tokens were issued for the old environment, tenant or app registration.
      if (identityChanged) await trx.deleteFrom('crm_token_caches').where('connection_id', '=', id).execute();
      return toConnection(row);
    }, UNIQUE_ENVIRONMENT);
  }

  async setStatus(id: string, change: CrmConnectionStatusChange): Promise<CrmConnection> {
    const checked = parseInput(statusChangeSchema, change, 'connection status');
    return this.#inTransaction(async (trx) => {
      await liveRow(trx, id);
      return toConnection(
        await trx
          .updateTable('crm_connections')
          .set({
            status: checked.status,
            status_reason: checked.statusReason ?? null,
            throttled_until: checked.throttledUntil ?? null,
            ...(checked.organizationId !== undefined && { organization_id: checked.organizationId }),
            updated_at: isoNow(this.#clock),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
    });
  }

  async setPrimary(id: string): Promise<CrmConnection> {
    return this.#inPrimaryTransaction(async (trx) => {
      await liveRow(trx, id);
      const now = isoNow(this.#clock);
      // Clear first, then set: a unique index is checked row by row, so one UPDATE could trip on it.
      await trx
        .updateTable('crm_connections')
        .set({ is_primary: 0, updated_at: now })
        .where('is_primary', '=', 1)
        .where('id', '!=', id)
        .execute();
      const row = await trx
        .updateTable('crm_connections')
        .set({ is_primary: 1, updated_at: now })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toConnection(row);
    });
  }

  async revoke(id: string): Promise<CrmConnection> {
    return this.#inPrimaryTransaction(async (trx) => {
      const current = await existingRow(trx, id);
      const now = isoNow(this.#clock);
      const row = await trx
        .updateTable('crm_connections')
        .set({
          revoked_at: current.revoked_at ?? now,
          is_primary: 0,
          credentials_sealed: null,
          updated_at: now,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.deleteFrom('crm_token_caches').where('connection_id', '=', id).execute();
      if (current.is_primary === 1) await promoteOldest(trx, now);
      return toConnection(row);
    });
  }

  async disconnect(id: string): Promise<void> {
    await this.#inPrimaryTransaction(async (trx) => {
      const current = await existingRow(trx, id);
      // Foreign keys cascade too; deleting explicitly keeps this independent of that setting.
      await trx.deleteFrom('crm_token_caches').where('connection_id', '=', id).execute();
      await trx.deleteFrom('crm_settings').where('connection_id', '=', id).execute();
      await trx.deleteFrom('crm_request_counts').where('connection_id', '=', id).execute();
      await trx.deleteFrom('crm_connections').where('id', '=', id).execute();
      if (current.is_primary === 1) await promoteOldest(trx, isoNow(this.#clock));
    });
  }

  async readCredentials(connectionId: string): Promise<CrmCredentials> {
    const row = await this.#store.db
      .selectFrom('crm_connections')
      .select(['auth_kind', 'credentials_sealed', 'revoked_at'])
      .where('id', '=', connectionId)
      .executeTakeFirst();
    if (!row) throw new LeadbridgeError('not_found', `No CRM connection ${connectionId}.`);
    if (row.revoked_at !== null || row.credentials_sealed === null)
      throw new LeadbridgeError(
        'not_found',
        `The CRM connection ${connectionId} was revoked; its credentials are gone.`,
      );
    const plaintext = this.#key.open(row.credentials_sealed, credentialsContext(connectionId));
    const schema =
      row.auth_kind === 'certificate' ? certificateCredentialsSchema : clientSecretCredentialsSchema;
    const credentials: CrmCredentials = schema.parse(JSON.parse(plaintext));
    return maskSecretsInLogs({ ...credentials }, ['clientSecret', 'privateKeyPem']);
  }

  async #inTransaction<T>(work: (trx: Kysely<StoreSchema>) => Promise<T>, unique?: string): Promise<T> {
    try {
      return await this.#store.db.transaction().execute(work);
    } catch (error) {
      throw toLeadbridgeError(error, { unique: unique ?? UNIQUE_ENVIRONMENT });
    }
  }

  /** A transaction that may change which connection is primary, serialised against the others. */
  #inPrimaryTransaction<T>(work: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
    return this.#inTransaction(async (trx) => {
      await lockPrimaryChoice(trx, this.#store.dialect);
      return work(trx);
    });
  }
}

/**
 * PostgreSQL: a transaction-scoped advisory lock, so concurrent creates and primary changes queue up
 * instead of failing on the unique index. SQLite: one writer at a time already (a single connection
 * per process; other processes wait on the file lock).
 */
async function lockPrimaryChoice(trx: Kysely<StoreSchema>, dialect: StoreDialect): Promise<void> {
  if (dialect === 'postgres')
    await sql`select pg_advisory_xact_lock(hashtext('leadbridge.crm_connections.primary'))`.execute(trx);
}

async function primaryId(trx: Kysely<StoreSchema>): Promise<string | undefined> {
  const row = await trx
    .selectFrom('crm_connections')
    .select('id')
    .where('is_primary', '=', 1)
    .executeTakeFirst();
  return row?.id;
}

async function existingRow(trx: Kysely<StoreSchema>, id: string): Promise<Selectable<CrmConnectionsTable>> {
  const row = await trx.selectFrom('crm_connections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new LeadbridgeError('not_found', `No CRM connection ${id}.`);
  return row;
}

async function liveRow(trx: Kysely<StoreSchema>, id: string): Promise<Selectable<CrmConnectionsTable>> {
  const row = await existingRow(trx, id);
  if (row.revoked_at !== null) throw new LeadbridgeError('conflict', `The CRM connection ${id} was revoked.`);
  return row;
}

/** After the primary connection goes, the oldest live one takes its place (if any is left). */
async function promoteOldest(trx: Kysely<StoreSchema>, now: string): Promise<void> {
  const next = await trx
    .selectFrom('crm_connections')
    .select('id')
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (next)
    await trx
      .updateTable('crm_connections')
      .set({ is_primary: 1, updated_at: now })
      .where('id', '=', next.id)
      .execute();
}

function toConnection(row: Selectable<CrmConnectionsTable>): CrmConnection {
  return {
    id: row.id,
    name: row.name,
    environmentUrl: row.environment_url,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    authKind: row.auth_kind as CrmAuthKind,
    ...(row.certificate_thumbprint !== null && { certificateThumbprint: row.certificate_thumbprint }),
    ...(row.organization_id !== null && { organizationId: row.organization_id }),
    status: row.status as CrmConnectionStatus,
    ...(row.status_reason !== null && { statusReason: row.status_reason }),
    ...(row.throttled_until !== null && { throttledUntil: row.throttled_until }),
    isPrimary: row.is_primary === 1,
    ...(row.revoked_at !== null && { revokedAt: row.revoked_at }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

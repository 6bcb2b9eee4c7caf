import type { SyncHarness } from './lead-sync-support.js';

/**
 * What the CRM already holds before a test captures anything: rows written through the emulator's
 * Web API (so they carry every system column a real create sets), then backdated in its store,
 * because Dataverse stamps `createdon`/`modifiedon` itself and a duplicate policy's "most recently
 * created/updated" needs a history that a test run of a few seconds cannot produce.
 */
export interface CrmWorld {
  /** `CreateMultiple` in chunks of 1,000; rows carry their own primary key. */
  createMany(table: 'lead' | 'contact', rows: readonly Record<string, unknown>[]): Promise<void>;
  /** One `POST /<entitySet>`; answers the created id. */
  create(entitySet: string, body: Record<string, unknown>): Promise<string>;
  backdate(table: string, id: string, times: { createdOn: string; modifiedOn: string }): void;
  row(table: string, id: string): Record<string, unknown> | undefined;
}

const SETS = { lead: 'leads', contact: 'contacts' } as const;

export function crmWorld(h: SyncHarness): CrmWorld {
  const store = h.emulator.emulator.env.store;
  const send = async (path: string, body: unknown): Promise<Response> => {
    const response = await fetch(`${h.emulator.url}api/data/v9.2/${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await h.emulator.token()}`,
        'content-type': 'application/json',
        'odata-version': '4.0',
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response;
  };
  return {
    async createMany(table, rows) {
      for (let start = 0; start < rows.length; start += 1000)
        await send(`${SETS[table]}/Microsoft.Dynamics.CRM.CreateMultiple`, {
          Targets: rows
            .slice(start, start + 1000)
            .map((row) => ({ '@odata.type': `Microsoft.Dynamics.CRM.${table}`, ...row })),
        });
    },
    async create(entitySet, body) {
      const response = await send(entitySet, body);
      const entityId = response.headers.get('odata-entityid') ?? '';
      const id = /\(([0-9a-f-]{36})\)$/i.exec(entityId)?.[1];
      if (!id) throw new Error(`${entitySet}: no OData-EntityId in the answer (${entityId})`);
      return id.toLowerCase();
    },
    backdate(table, id, { createdOn, modifiedOn }) {
      store.transaction((tx) => {
        const row = tx.get(table, id);
        if (!row) throw new Error(`no ${table} ${id} to backdate`);
        tx.put(table, id, { ...row, createdon: createdOn, modifiedon: modifiedOn });
      });
    },
    row: (table, id) => store.get(table, id),
  };
}

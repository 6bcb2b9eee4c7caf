import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDataverseEmulator, type RunningEmulator } from '../support/dataverse-emulator.js';
import { tempDataDir } from '../support/temp-data-dir.js';
import { freshAppToken, webApi, type WebApiHttp } from '../support/web-api-http.js';

/**
 * `buildDataverseEmulator({ dataDir })` (persistence/journal-persistence.ts): rows, deletions (the
 * tombstones change tracking reports) and the token signing key survive a restart; a journal line torn
 * by a crash is ignored. Each restart reuses the port, so the environment URL — and with it token
 * audiences and delta links — stays the same, as a real environment's does.
 */
const JOURNAL = 'dataverse-journal.jsonl';
const data = tempDataDir();
let running: RunningEmulator | undefined;
let port = 0;

async function start(): Promise<{ running: RunningEmulator; api: WebApiHttp }> {
  running = await startDataverseEmulator({ dataDir: data.dir, port });
  port = Number(new URL(running.url).port);
  const current = running;
  return { running: current, api: webApi(current, { token: () => freshAppToken(current) }) };
}

async function restart(): Promise<{ running: RunningEmulator; api: WebApiHttp }> {
  await running?.close();
  running = undefined;
  return start();
}

afterAll(async () => {
  await running?.close();
  data.remove();
});

describe('a restart on the same data directory', () => {
  const state = {
    kept: '',
    keptEtag: '',
    deleted: '',
    changed: '',
    leadCount: 0,
    deltaLink: '',
    token: '',
    lastVersion: 0,
  };

  beforeAll(async () => {
    const { running: first, api } = await start();
    expect(existsSync(join(data.dir, JOURNAL))).toBe(true);
    const initial = await api.get('leads?$select=lastname', { prefer: 'odata.track-changes' });
    state.deltaLink = initial.json<{ '@odata.deltaLink': string }>()['@odata.deltaLink'];
    state.kept = await api.create('leads', { lastname: 'Persisted', emailaddress1: 'persisted@example.com' });
    state.deleted = await api.create('leads', { lastname: 'Deleted before restart' });
    expect((await api.del(`leads(${state.deleted})`)).status).toBe(204);
    const someLead = (await api.get('leads?$select=lastname&$top=1')).json<{ value: { leadid: string }[] }>();
    state.changed = someLead.value[0]?.leadid ?? '';
    await api.patch(`leads(${state.changed})`, { jobtitle: 'Changed before restart' });
    const kept = await api.get(`leads(${state.kept})`);
    state.keptEtag = kept.headers.get('etag') ?? '';
    state.lastVersion = Number(/\d+/.exec(state.keptEtag)?.[0]);
    state.leadCount = await api.count('leads');
    state.token = await freshAppToken(first);
  });

  it('keeps created rows with their ETags and does not seed again', async () => {
    const { api } = await restart();
    const kept = await api.get(`leads(${state.kept})?$select=lastname,emailaddress1`);
    expect(kept.status).toBe(200);
    expect(kept.json()).toMatchObject({ lastname: 'Persisted', emailaddress1: 'persisted@example.com' });
    expect(kept.headers.get('etag')).toBe(state.keptEtag);
    expect(await api.count('leads')).toBe(state.leadCount);
    const changed = await api.get(`leads(${state.changed})?$select=jobtitle`);
    expect(changed.json<{ jobtitle: string }>().jobtitle).toBe('Changed before restart');
  });

  it('keeps deletions, and reports them through a delta link taken before the restart', async () => {
    const { api } = await restart();
    expect((await api.get(`leads(${state.deleted})`)).status).toBe(404);
    const delta = await api.get(state.deltaLink, { prefer: 'odata.track-changes' });
    expect(delta.status, delta.text).toBe(200);
    const value = delta.json<{ value: Record<string, unknown>[] }>().value;
    expect(value).toContainEqual(
      expect.objectContaining({
        id: state.deleted,
        reason: 'deleted',
        '@odata.context': expect.stringMatching(/\$deletedEntity$/),
      }),
    );
    expect(value).toContainEqual(expect.objectContaining({ leadid: state.kept, lastname: 'Persisted' }));
    expect(value).toContainEqual(expect.objectContaining({ leadid: state.changed }));
  });

  it('keeps the signing key: a token issued before the restart is still accepted', async () => {
    const { api } = await restart();
    const result = await api.send('GET', 'WhoAmI', { token: state.token });
    expect(result.status).toBe(200);
  });

  it('keeps numbering versions upwards after a restart', async () => {
    const { api } = await restart();
    const id = await api.create('leads', { lastname: 'After restart' });
    const etag = (await api.get(`leads(${id})`)).headers.get('etag') ?? '';
    expect(Number(/\d+/.exec(etag)?.[0])).toBeGreaterThan(state.lastVersion);
  });
});

describe('a crash mid-write', () => {
  it('ignores a torn last journal line and keeps everything before it', async () => {
    const { api } = await restart();
    const id = await api.create('leads', { lastname: 'Before the crash' });
    const before = await api.count('leads');
    await running?.close();
    running = undefined;
    const journal = join(data.dir, JOURNAL);
    expect(readFileSync(journal, 'utf8')).toContain('Before the crash');
    // Half a transaction: what a crash during appendFileSync leaves behind.
    appendFileSync(journal, '{"version":999999,"changes":[{"kind":"put","table":"lead","id":"0000');

    const { api: after } = await start();
    expect(await after.count('leads')).toBe(before);
    const row = await after.get(`leads(${id})?$select=lastname`);
    expect(row.json<{ lastname: string }>().lastname).toBe('Before the crash');
    // The journal was compacted on start: the torn line is gone and new writes land after restart too.
    expect(readFileSync(journal, 'utf8')).not.toContain('"version":999999');
    const next = await after.create('leads', { lastname: 'After the crash' });
    const { api: again } = await restart();
    expect((await again.get(`leads(${next})`)).status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { sleep, waitUntil } from './cli-process.js';
import { expectEachLeadOnceInCrm } from './exactly-once-evidence.js';
import { crmLeadsAt, people, withFaultScenario } from './fault-scenario.js';
import { captureLeads, readSyncLog, syncStatus, waitForQueueToSettle } from './leadbridge-under-test.js';

const TOKEN_LIFETIME_SECONDS = 5;

/**
 * The client secret expires in Entra ID while Leadbridge runs (the admin has issued a new one but not
 * yet told Leadbridge): once its access token runs out, the connection must flip to
 * needs_reauthorization and keep the work queued — nothing dead, nothing failed. After the admin
 * saves the new secret, the queue drains, each lead once.
 */
export async function expiredSecret(): Promise<void> {
  const domain = 'secret.fault.example';
  await withFaultScenario(
    { emulator: { limits: 'off', accessTokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS } },
    async (s) => {
      const { api } = s.leadbridge;
      const { adminToken, connectionId } = s.prepared;
      const before = await captureLeads(api, s.prepared, people(200, domain), 200);
      await waitForQueueToSettle(api, s.prepared, 60_000);
      expect(crmLeadsAt(s, domain)).toHaveLength(200);

      const app = s.crm.emulator.directory.applications[0]!;
      app.clientSecrets[0]!.expiresAt = new Date(Date.now() - 60_000).toISOString();
      const rotated = `rotated-${randomUUID()}`;
      app.clientSecrets.push({ keyId: randomUUID(), secretText: rotated });
      // Past the lifetime of any access token issued so far, so the next call needs the secret.
      await sleep((TOKEN_LIFETIME_SECONDS + 1) * 1000);

      const later = people(200, domain, (i) => ({ email: `later${i}@${domain}`, externalId: `later-${i}` }));
      const queued = await captureLeads(api, s.prepared, later, 200);
      const flipped = await waitUntil(
        'the connection to need re-authorization',
        async () => {
          const status = await syncStatus(api, s.prepared);
          return status.connections[0]?.status === 'needs_reauthorization' ? status : undefined;
        },
        60_000,
      );
      expect(flipped.connections[0]?.statusReason).toMatch(/expired/i);
      expect(flipped.leads).toMatchObject({ synced: 200, pending: 200, failed: 0 });
      expect(flipped.jobs['dead'] ?? 0).toBe(0);
      expect(crmLeadsAt(s, domain)).toHaveLength(200);
      const waiting = (await readSyncLog(api, s.prepared)).filter((entry) => entry.outcome === 'failed');
      const queuedIds = new Set(queued.map((lead) => lead.leadId));
      expect(waiting.length).toBeGreaterThan(0);
      for (const entry of waiting) {
        expect(queuedIds.has(entry.leadId)).toBe(true);
        expect(entry).toMatchObject({ errorCode: 'crm_reauthorization_needed', retryable: true });
      }

      const fixed = await api('PATCH', `/api/v1/connections/${connectionId}`, adminToken, {
        clientSecret: rotated,
      });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      // Saving the new secret makes the waiting work due at once (it would otherwise look again after
      // CONNECTION_WAIT_MS, a minute): well under that is the proof.
      const fixedAt = Date.now();
      const drained = await waitForQueueToSettle(api, s.prepared, 150_000);
      expect(Date.now() - fixedAt).toBeLessThan(45_000);
      expect(drained.leads).toMatchObject({ synced: 400, pending: 0, failed: 0 });
      expect(drained.jobs['dead'] ?? 0).toBe(0);
      expect(drained.connections[0]?.status).toBe('active');
      const log = await readSyncLog(api, s.prepared);
      expectEachLeadOnceInCrm([...before, ...queued], crmLeadsAt(s, domain), log);
    },
  );
}

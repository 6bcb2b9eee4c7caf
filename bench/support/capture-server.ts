import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildLeadbridge } from '../../src/app/index.js';
import { loadConfig } from '../../src/config/index.js';

/**
 * The server side of the capture benchmark, in its own process so the load generator does not share
 * its event loop: `leadbridge` (the real app on SQLite, workers off, so only acceptance is measured)
 * or `bare` (a Fastify endpoint that parses the JSON and answers 202, the ceiling on this machine).
 * Prints one JSON line with what the client needs.
 */
const kind = process.argv[2];
if (kind === 'bare') {
  const app = Fastify({ logger: false });
  app.post('/leads', async (_request, reply) =>
    reply.code(202).send({ leads: [{ id: 'x', duplicate: false }] }),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url: `${url}/leads`, key: 'none' })}\n`);
} else {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbridge-capture-bench-'));
  const leadbridge = await buildLeadbridge({
    config: loadConfig({}, { dataDir, logLevel: 'silent' }),
    webRoot: join(dataDir, 'no-ui'),
    roles: ['api'],
  });
  // Acceptance never calls the CRM: a stored connection is all the capture path reads.
  await leadbridge.repositories.crmConnections.create({
    name: 'Bench',
    environmentUrl: 'https://bench.crm.dynamics.com/',
    tenantId: '00000000-0000-4000-8000-000000000001',
    clientId: '00000000-0000-4000-8000-000000000002',
    authKind: 'client_secret',
    credentials: { clientSecret: 'not used' },
  });
  const source = await leadbridge.repositories.leadSources.create({
    name: 'Bench',
    kind: 'api',
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'lastName', label: 'Last name', type: 'text', required: false },
    ],
    mappings: {},
    duplicates: { mode: 'strategy' },
    syncIntervalMinutes: 5,
    enabled: true,
  });
  const key = await leadbridge.repositories.sourceApiKeys.create(source.id);
  const url = await leadbridge.app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(
    `${JSON.stringify({ url: `${url}/api/v1/sources/${source.id}/leads`, key: key.plainKey })}\n`,
  );
}

// Exit cleanly when the benchmark is done (so `--cpu-prof` can write its profile).
process.on('SIGTERM', () => process.exit(0));

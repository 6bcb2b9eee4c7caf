/**
 * One of several processes sharing a SQLite file, for the multi-process test in
 * `sqlite-store.int.test.ts`: accepts the same leads as its siblings, then claims jobs until none are
 * left, and prints the ids it claimed as JSON on a line of its own, after `CLAIMED_MARKER`. Arguments:
 * data directory, source id, owner, lead count.
 */
import { createDatabase } from '../create-database.js';
import { createRepositories } from '../create-repositories.js';
import { SecretKey } from '../secrets/secret-key.js';

const CLAIMED_MARKER = 'claimed: ';

const [dataDir = '', sourceId = '', owner = '', count = '0'] = process.argv.slice(2);
const store = await createDatabase({ dataDir });
try {
  const repos = createRepositories(store, { secretKey: SecretKey.generate() });
  const leads = Array.from({ length: Number(count) }, (_, i) => ({
    sourceId,
    idempotencyKey: `k${i}`,
    payload: { email: `lead${i}@example.com` },
  }));
  // Small batches, so the processes' transactions interleave.
  for (let start = 0; start < leads.length; start += 10)
    await repos.inboundLeads.accept(leads.slice(start, start + 10), { connectionId: 'connection-1' });
  const claimed: string[] = [];
  for (;;) {
    const batch = await repos.jobQueue.claim({ queue: 'connection-1', owner, limit: 3, leaseMs: 600_000 });
    if (batch.length === 0) break;
    claimed.push(...batch.map((job) => job.id));
  }
  process.stdout.write(`\n${CLAIMED_MARKER}${JSON.stringify(claimed)}\n`);
} finally {
  await store.close();
}

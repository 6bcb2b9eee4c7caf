import { startEmulatorProcess } from './support/emulator-process.js';
import type { BenchResult } from './support/bench-result.js';
import { median, percentile } from './support/bench-result.js';

/**
 * The emulator must never be the bottleneck of later benchmarks: single creates per second,
 * CreateMultiple of 1,000 leads, and a filtered query over 100,000 leads, all over HTTPS from another
 * process, with service-protection limits off (they would cap the figures, by design).
 */
export async function benchDataverseEmulator(): Promise<BenchResult[]> {
  const emulator = await startEmulatorProcess(['--limits', 'off', '--seed', '1']);
  try {
    const token = await emulator.token();
    const api = `${emulator.url}api/data/v9.2/`;
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    };
    const post = async (path: string, body: unknown) => {
      const response = await fetch(api + path, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    const lead = (i: number, run: string) => ({
      firstname: 'Bench',
      lastname: `Lead ${run}-${i}`,
      emailaddress1: `lead${i}.${run}@example.com`,
      companyname: 'Contoso',
      leadsourcecode: 1 + (i % 10),
      subject: 'Benchmark',
    });
    const results: BenchResult[] = [];

    // Warm up the JIT on both sides before measuring.
    for (let i = 0; i < 200; i++) await post('leads', lead(i, 'warm'));

    const sequential = 1000;
    let started = performance.now();
    for (let i = 0; i < sequential; i++) await post('leads', lead(i, 'seq'));
    const sequentialRate = sequential / ((performance.now() - started) / 1000);
    results.push({
      measure: 'single creates per second, one at a time',
      goal: '—',
      value: `${Math.round(sequentialRate)}/s`,
    });

    const parallel = 2000;
    const inFlight = 16;
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < parallel) await post('leads', lead(next++, 'par'));
      }),
    );
    const parallelRate = parallel / ((performance.now() - started) / 1000);
    results.push({
      measure: 'single creates per second, 16 in flight',
      goal: '—',
      value: `${Math.round(parallelRate)}/s`,
    });

    const bulkTimes: number[] = [];
    for (let run = 0; run < 100; run++) {
      const targets = Array.from({ length: 1000 }, (_, i) => ({
        '@odata.type': 'Microsoft.Dynamics.CRM.lead',
        ...lead(i, `bulk${run}`),
      }));
      const t0 = performance.now();
      await post('leads/Microsoft.Dynamics.CRM.CreateMultiple', { Targets: targets });
      bulkTimes.push(performance.now() - t0);
    }
    results.push({
      measure: 'CreateMultiple of 1,000 leads (median of 100; p95)',
      goal: '≤ 250 ms',
      value: `${median(bulkTimes).toFixed(0)} ms; p95 ${percentile(bulkTimes, 95).toFixed(0)} ms`,
    });

    const count = Number(await (await fetch(`${api}leads/$count`, { headers })).text());
    // `/$count` caps at 5,000 like Dataverse; the store holds the 100 bulk runs plus the singles.
    const stored = 100 * 1000 + sequential + parallel + 200;
    const queryTimes: number[] = [];
    const pageTimes: number[] = [];
    for (let i = 0; i < 30; i++) {
      // A different literal each time, so no query result is reused between iterations.
      const filter = `statecode eq 0 and leadsourcecode eq ${1 + (i % 10)} and contains(emailaddress1,'.bulk${i}@')`;
      let t0 = performance.now();
      const response = await fetch(
        `${api}leads?$select=fullname,emailaddress1&$filter=${encodeURIComponent(filter)}&$top=50`,
        { headers },
      );
      const body = (await response.json()) as { value: unknown[] };
      queryTimes.push(performance.now() - t0);
      if (body.value.length === 0) throw new Error(`query ${filter} matched nothing`);
      t0 = performance.now();
      const page = await fetch(
        `${api}leads?$select=fullname,emailaddress1&$filter=${encodeURIComponent(`statecode eq 0 and not contains(lastname,'x${i}')`)}`,
        {
          headers: { ...headers, prefer: 'odata.maxpagesize=5000' },
        },
      );
      await page.json();
      pageTimes.push(performance.now() - t0);
    }
    results.push({
      measure: `filtered query over ${stored.toLocaleString('en-US')} leads, first 50 matches (median of 30; p95)`,
      goal: '≤ 100 ms',
      value: `${median(queryTimes).toFixed(1)} ms; p95 ${percentile(queryTimes, 95).toFixed(1)} ms`,
    });
    results.push({
      measure: `filtered query over ${stored.toLocaleString('en-US')} leads, a full page of 5,000 (median of 30)`,
      goal: '—',
      value: `${median(pageTimes).toFixed(1)} ms`,
    });
    if (count !== 5000) throw new Error(`expected $count to cap at 5000, got ${count}`);
    return results;
  } finally {
    await emulator.stop();
  }
}

import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { ensureTlsCertificate } from '../src/emulators/dataverse/entra/index.js';
import { benchCaptureApi } from './capture-api.bench.js';
import { benchDataverseEmulator } from './dataverse-emulator.bench.js';
import { benchLeadSync } from './lead-sync.bench.js';
import type { BenchResult } from './support/bench-result.js';

/**
 * `npm run bench`: runs every benchmark and writes docs/performance.md. Clients trust the emulator's CA
 * the way a user does (NODE_EXTRA_CA_CERTS), which Node reads only at start-up: so set it and re-run.
 */
async function main(): Promise<void> {
  if (process.env['LEADBRIDGE_BENCH_CHILD'] !== '1') {
    const tls = await ensureTlsCertificate(resolve('data/dataverse-emulator-tls'));
    const rerun = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: tls.caPath, LEADBRIDGE_BENCH_CHILD: '1' },
    });
    process.exit(rerun.status ?? 1);
  }
  // `npm run bench -- sync` runs only the benchmarks whose name contains "sync"; docs/performance.md
  // is then left alone, so it always holds a full run.
  const only = process.argv[2];
  const benches: { name: string; title: string; run: () => Promise<BenchResult[]> }[] = [
    {
      name: 'emulator',
      title: 'Dataverse emulator (HTTPS, another process, limits off)',
      run: benchDataverseEmulator,
    },
    {
      name: 'capture',
      title: 'Capture API (HTTP on loopback, server in another process)',
      run: benchCaptureApi,
    },
    { name: 'sync', title: 'Lead sync into the emulator (HTTPS, another process)', run: benchLeadSync },
  ];
  // Every figure shares two cores with whatever else runs: the load before the run says how quiet it was.
  const loadBefore = loadavg()[0] ?? 0;
  const sections: { title: string; results: BenchResult[] }[] = [];
  for (const bench of benches) {
    if (only && !bench.name.includes(only)) continue;
    console.log(`${bench.title}…`);
    sections.push({ title: bench.title, results: await bench.run() });
  }

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const lines = [
    '# Performance',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Benchmarks never run in `npm test`.',
    '',
    `Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; load average ${loadBefore.toFixed(2)} (1 min) before it began.`,
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '', '| measure | goal | result |', '|---|---|---|');
    for (const r of section.results) lines.push(`| ${r.measure} | ${r.goal} | ${r.value} |`);
    lines.push('');
  }
  // Formatted as `npm run check` expects, so a fresh run never fails the format check.
  if (!only)
    writeFileSync(resolve('docs/performance.md'), await format(lines.join('\n'), { parser: 'markdown' }));
  console.log(lines.join('\n'));
}

await main();

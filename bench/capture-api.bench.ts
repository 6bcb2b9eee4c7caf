import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Pool } from 'undici';
import type { BenchResult } from './support/bench-result.js';
import { percentile } from './support/bench-result.js';

/**
 * Capture API throughput: leads per second durably accepted (stored with their sync job, committed)
 * and the p99 latency, one lead per request from 64 concurrent connections, next to a bare Fastify
 * endpoint measured the same way in the same run.
 */
export async function benchCaptureApi(): Promise<BenchResult[]> {
  const bare = await measure('bare');
  const leadbridge = await measure('leadbridge');
  return [
    {
      measure:
        'capture API: leads durably accepted per second, one lead per request, 64 connections (p50; p99)',
      goal: '≥ 5,000/s, p99 < 25 ms',
      value: `${Math.round(leadbridge.rate).toLocaleString('en')}/s (p50 ${leadbridge.p50.toFixed(1)} ms; p99 ${leadbridge.p99.toFixed(1)} ms)`,
    },
    {
      measure: 'a bare Fastify endpoint (JSON in, 202 out), same load, same run',
      goal: '—',
      value: `${Math.round(bare.rate).toLocaleString('en')}/s (p50 ${bare.p50.toFixed(1)} ms; p99 ${bare.p99.toFixed(1)} ms)`,
    },
  ];
}

async function measure(kind: 'bare' | 'leadbridge'): Promise<{ rate: number; p50: number; p99: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve('bench/support/capture-server.ts'), kind],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { url, key } = JSON.parse(line) as { url: string; key: string };
    const target = new URL(url);
    const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
    let counter = 0;
    const send = async (): Promise<number> => {
      const i = counter++;
      const started = performance.now();
      const response = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: `capture${i}@example.com`, lastName: `Capture ${i}` }),
      });
      await response.body.text();
      if (response.statusCode !== 202) throw new Error(`${kind}: HTTP ${response.statusCode}`);
      return performance.now() - started;
    };
    const run = async (seconds: number) => {
      const latencies: number[] = [];
      const deadline = performance.now() + seconds * 1000;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() < deadline) latencies.push(await send());
        }),
      );
      return { latencies, seconds: (performance.now() - started) / 1000 };
    };
    await run(3); // warm up the JIT and SQLite's page cache
    const { latencies, seconds } = await run(10);
    await pool.close();
    return {
      rate: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * The `leadbridge` CLI as its own operating-system process, run from source (`node --import tsx`)
 * so it is the code under test and not a stale build in dist/. Output is collected for the banners
 * and for the error message when a test fails.
 */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code, or the signal name when the process was killed. */
  readonly exited: Promise<number | string>;
  output(): { readonly stdout: string; readonly stderr: string };
  /** Waits for a line of stdout matching `pattern`; returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGKILL (kill -9): no shutdown hook runs, nothing is flushed. Waits until it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM and wait: the orderly stop. */
  stop(): Promise<void>;
}

/**
 * `env` is added to this process's environment, without the test CA trust (test/global-setup.ts):
 * a Leadbridge child must trust the emulator through its own setting, LEADBRIDGE_CRM_EXTRA_CA_FILE.
 */
export function spawnLeadbridgeCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): CliProcess {
  const { NODE_EXTRA_CA_CERTS: _trust, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run-cli.ts', ...args], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  let gone = false;
  live.add(child);
  void exited.then(() => {
    gone = true;
    live.delete(child);
  });
  const output = () => ({ stdout, stderr });
  return {
    child,
    pid: child.pid ?? -1,
    exited,
    output,
    async waitForOutput(pattern, timeoutMs = 120_000) {
      const started = Date.now();
      for (;;) {
        const match = pattern.exec(stdout);
        if (match) return match;
        if (gone) throw new Error(`the process ended before printing ${pattern}:\n${describe(output())}`);
        if (Date.now() - started > timeoutMs)
          throw new Error(`timed out waiting for ${pattern}:\n${describe(output())}`);
        await sleep(50);
      }
    },
    async kill9() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Children still running, so a test that failed half-way leaves none behind. */
const live = new Set<ChildProcess>();

/** SIGKILL to every child spawned here that is still running (each by its own pid), and wait. */
export async function stopEverySpawnedProcess(): Promise<void> {
  const waits = [...live].map((child) => once(child, 'exit'));
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(waits);
}

function describe({ stdout, stderr }: { stdout: string; stderr: string }): string {
  return `--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined; fails with `what` and the last state. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  state: () => unknown = () => undefined,
  everyMs = 200,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(state())}`,
      );
    await sleep(everyMs);
  }
}

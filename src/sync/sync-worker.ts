import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Job, JobQueue } from '../domain/index.js';
import type { BatchProcessor, JobResult } from './job-result.js';

export interface SyncWorkerOptions {
  readonly queue: JobQueue;
  readonly process: BatchProcessor;
  /** Jobs claimed at once: one batch of look-ups and bulk writes. */
  readonly batchSize?: number;
  readonly leaseMs?: number;
  /** How long an idle worker sleeps before looking again (a capture wakes it at once). */
  readonly idlePollMs?: number;
  readonly owner?: string;
  readonly onError?: (error: unknown) => void;
}

export interface WorkerPass {
  readonly claimed: number;
  readonly done: number;
  readonly retried: number;
  readonly dead: number;
}

const EMPTY_PASS: WorkerPass = { claimed: 0, done: 0, retried: 0, dead: 0 };

/**
 * Claims batches from the store's queue and hands them to the batch processor, keeping their leases
 * alive by heartbeat while the batch runs. A job whose lease was lost (the process stalled past it and
 * another worker took over) is left to its new owner: its result is dropped, and the deterministic
 * CRM ids make the overlap harmless.
 */
export class SyncWorker {
  readonly owner: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;
  /** A wake that came while the worker was busy: its next idle is skipped, so no signal is lost. */
  private woken = false;

  constructor(private readonly options: SyncWorkerOptions) {
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID()}`;
    this.batchSize = options.batchSize ?? 1_000;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.idlePollMs = options.idlePollMs ?? 1_000;
  }

  /** Runs until stop(): the one-process default of `leadbridge start`. */
  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** New work arrived (a capture): look now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
    this.running = undefined;
  }

  /** Works until no job is due: `leadbridge sync run`, tests and benchmarks. */
  async drain(): Promise<WorkerPass> {
    let total = EMPTY_PASS;
    for (;;) {
      await this.options.queue.reapExpired();
      const pass = await this.passOverQueues();
      if (pass.claimed === 0) return total;
      total = add(total, pass);
    }
  }

  private async loop(): Promise<void> {
    let lastReap = 0;
    // Idle, the worker still wakes for the reaper: a crashed worker's jobs come back within half a
    // lease, however long the poll interval.
    const idleMs = () => Math.max(0, Math.min(this.idlePollMs, lastReap + this.leaseMs / 2 - Date.now()));
    while (!this.stopping) {
      try {
        if (Date.now() - lastReap > this.leaseMs / 2) {
          await this.options.queue.reapExpired();
          lastReap = Date.now();
        }
        const pass = await this.passOverQueues();
        if (pass.claimed === 0) await this.idle(idleMs());
      } catch (error) {
        this.options.onError?.(error);
        await this.idle(this.idlePollMs);
      }
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.woken) {
      // Work arrived during the pass that just found nothing (another worker may have had it first,
      // or it was stored after the look): look once more rather than sleep through it.
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wakeUp = undefined;
      this.woken = false;
    });
  }

  /** One claim per queue that has due work. */
  private async passOverQueues(): Promise<WorkerPass> {
    let total = EMPTY_PASS;
    for (const queue of await this.options.queue.readyQueues()) {
      if (this.stopping) break;
      total = add(total, await this.runBatch(queue));
    }
    return total;
  }

  private async runBatch(queueName: string): Promise<WorkerPass> {
    const { queue } = this.options;
    const jobs = await queue.claim({
      queue: queueName,
      owner: this.owner,
      limit: this.batchSize,
      leaseMs: this.leaseMs,
    });
    if (jobs.length === 0) return EMPTY_PASS;
    const held = new Set(jobs.map((job) => job.id));
    const heartbeat = setInterval(() => {
      queue.heartbeat(this.owner, [...held], this.leaseMs).then(
        (kept) => {
          for (const id of [...held]) if (!kept.includes(id)) held.delete(id);
        },
        (error: unknown) => this.options.onError?.(error),
      );
    }, this.leaseMs / 3);
    heartbeat.unref();
    let results: readonly JobResult[];
    try {
      results = await this.options.process(queueName, jobs);
    } catch (error) {
      // The processor classifies failures itself; an exception here is a bug or the store failing.
      // Leave the leases to expire so the reaper hands the jobs out again: nothing is lost.
      clearInterval(heartbeat);
      throw error;
    }
    clearInterval(heartbeat);
    return this.record(jobs, results, held);
  }

  private async record(
    jobs: readonly Job[],
    results: readonly JobResult[],
    held: Set<string>,
  ): Promise<WorkerPass> {
    const { queue } = this.options;
    const done = results.filter((r) => r.kind === 'done' && held.has(r.jobId)).map((r) => r.jobId);
    const completed = done.length > 0 ? await queue.complete(this.owner, done) : [];
    let retried = 0;
    let dead = 0;
    for (const result of results) {
      if (!held.has(result.jobId)) continue;
      if (result.kind === 'retry') {
        await queue.retry(this.owner, result.jobId, result.runAt.toISOString(), result.error);
        retried += 1;
      } else if (result.kind === 'dead') {
        await queue.deadLetter(this.owner, result.jobId, result.error);
        dead += 1;
      }
    }
    return { claimed: jobs.length, done: completed.length, retried, dead };
  }
}

function add(a: WorkerPass, b: WorkerPass): WorkerPass {
  return {
    claimed: a.claimed + b.claimed,
    done: a.done + b.done,
    retried: a.retried + b.retried,
    dead: a.dead + b.dead,
  };
}

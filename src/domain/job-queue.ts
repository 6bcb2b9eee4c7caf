/**
 * The durable work queue in the store (DESIGN.md §1): workers claim jobs with a lease they renew by
 * heartbeat; a reaper returns expired leases to the queue; failures retry with backoff until they
 * become dead letters. One queue per CRM connection, so a batch always targets one environment.
 */
export type JobState = 'ready' | 'leased' | 'done' | 'dead';

export interface Job {
  readonly id: string;
  /** The CRM connection id the job writes to. */
  readonly queue: string;
  /** What to do, e.g. `sync_lead`. */
  readonly kind: string;
  /** What it is about, e.g. the inbound lead id. */
  readonly subjectId: string;
  readonly state: JobState;
  readonly attempts: number;
  /** ISO instant before which the job is not claimed. */
  readonly runAt: string;
  readonly leaseOwner?: string;
  readonly leaseExpiresAt?: string;
  readonly lastError?: string;
  readonly createdAt: string;
}

export interface NewJob {
  readonly queue: string;
  readonly kind: string;
  readonly subjectId: string;
  readonly runAt?: string;
}

export interface ClaimRequest {
  readonly queue: string;
  /** Unique per worker process (and run), e.g. `host:pid:uuid`. */
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
}

export interface JobQueue {
  enqueue(jobs: readonly NewJob[]): Promise<readonly Job[]>;
  /**
   * Claims up to `limit` ready jobs whose `runAt` has come, oldest first, leasing them to `owner`
   * (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers). Increments `attempts`.
   */
  claim(request: ClaimRequest): Promise<readonly Job[]>;
  /** Extends the owner's leases; returns the ids still leased to it (a lost lease is dropped). */
  heartbeat(owner: string, ids: readonly string[], leaseMs: number): Promise<readonly string[]>;
  /** Only the lease owner can finish a job; returns the ids it finished. */
  complete(owner: string, ids: readonly string[]): Promise<readonly string[]>;
  /** Back to `ready` at `runAt`, with the error kept. */
  retry(owner: string, id: string, runAt: string, error: string): Promise<void>;
  deadLetter(owner: string, id: string, error: string): Promise<void>;
  /** Expired leases back to `ready`; returns how many. */
  reapExpired(): Promise<number>;
  /** Dead (or done) jobs of these subjects back to `ready` now, attempts reset: replay. */
  requeue(subjectIds: readonly string[], queue: string): Promise<number>;
  /** Ready jobs of the queue waiting for a later `runAt` become due now (a connection was fixed); returns how many. */
  releaseWaiting(queue: string): Promise<number>;
  /** Queues that have ready jobs due now (workers poll these). */
  readyQueues(): Promise<readonly string[]>;
  counts(queue?: string): Promise<Readonly<Record<JobState, number>>>;
}

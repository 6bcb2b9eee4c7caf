import type { Job } from '../domain/index.js';

/** What became of one claimed job after its batch ran. */
export type JobResult =
  | { readonly jobId: string; readonly kind: 'done' }
  | { readonly jobId: string; readonly kind: 'retry'; readonly runAt: Date; readonly error: string }
  | { readonly jobId: string; readonly kind: 'dead'; readonly error: string };

/** Processes the claimed jobs of one queue (one CRM connection) and says what became of each. */
export type BatchProcessor = (queue: string, jobs: readonly Job[]) => Promise<readonly JobResult[]>;

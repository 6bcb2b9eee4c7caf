/**
 * "New work is in the queue": how a process that stored jobs (an API process after a capture, a
 * replay, a fixed connection) wakes the workers of other processes at once, instead of leaving them
 * to find the work at their next poll. A hint only: the queue in the store stays the truth, so a
 * signal lost to a dropped connection costs at most one poll interval, never a job.
 */
export interface WorkSignal {
  /** Tells every listening process; cheap to call often (calls in flight are coalesced). */
  notify(): void;
  /** Calls `listener` on every signal from any process, until close(). */
  listen(listener: () => void): Promise<void>;
  close(): Promise<void>;
}

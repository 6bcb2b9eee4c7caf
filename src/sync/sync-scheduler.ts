import type {
  CrmConnection,
  CrmConnectionRepository,
  LeadSourceRepository,
  SchedulerLeadership,
} from '../domain/index.js';
import type { CrmChangePull, PullReport } from './crm-change-pull.js';

export interface SyncSchedulerOptions {
  readonly connections: Pick<CrmConnectionRepository, 'list'>;
  readonly sources: Pick<LeadSourceRepository, 'list'>;
  readonly pull: Pick<CrmChangePull, 'pull'>;
  /** Retries whose time has come and new work: the worker looks now. */
  readonly wake: () => void;
  /** How often the scheduler looks whether a cycle is due. */
  readonly tickMs?: number;
  /** A failed cycle (with its connection) or a failed tick (reading the sources, taking the lead). */
  readonly onError?: (error: unknown, connection?: CrmConnection) => void;
  readonly now?: () => number;
  /** Among several scheduler processes, only the leader runs cycles; absent, this one always does. */
  readonly leadership?: SchedulerLeadership;
}

const DEFAULT_INTERVAL_MINUTES = 5;

/**
 * Scheduled sync cycles (default every 5 minutes): per connection, at the shortest interval of the
 * sources that write to it, changes made in Dynamics 365 come back (two-way sync) and the worker is
 * woken for whatever became due. Instant syncs on capture do not wait for it.
 */
export class SyncScheduler {
  private readonly lastRun = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: SyncSchedulerOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => (this.running = undefined));
    }, this.options.tickMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Runs the cycles that are due now, if this process leads the schedulers. */
  async tick(): Promise<void> {
    if (this.options.leadership && !(await this.options.leadership.tryLead())) return;
    const intervals = await this.intervalsByConnection();
    for (const connection of await this.options.connections.list()) {
      const minutes = intervals.get(connection.id) ?? (connection.isPrimary ? intervals.get('') : undefined);
      if (minutes === undefined || connection.revokedAt) continue;
      const last = this.lastRun.get(connection.id);
      if (last !== undefined && this.now() - last < minutes * 60_000) continue;
      await this.runCycle(connection).catch((error: unknown) => this.options.onError?.(error, connection));
    }
  }

  /** One cycle for one connection, now: `leadbridge sync run` and tests. */
  async runCycle(connection: CrmConnection): Promise<PullReport> {
    this.lastRun.set(connection.id, this.now());
    const report = await this.options.pull.pull(connection);
    this.options.wake();
    return report;
  }

  /** Minutes per connection id; `''` holds the interval of sources that follow the primary. */
  private async intervalsByConnection(): Promise<Map<string, number>> {
    const intervals = new Map<string, number>();
    for (const source of await this.options.sources.list()) {
      if (!source.enabled) continue;
      const key = source.connectionId ?? '';
      const minutes = source.syncIntervalMinutes || DEFAULT_INTERVAL_MINUTES;
      intervals.set(key, Math.min(intervals.get(key) ?? minutes, minutes));
    }
    return intervals;
  }
}

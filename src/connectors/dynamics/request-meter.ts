import type { RequestCounter } from '../../domain/index.js';
import type { ConnectorLogger } from './connector-logger.js';

/** Today's use of a connection's Dataverse request entitlement, as the UI shows it. */
export interface RequestUsage {
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly requests: number;
  readonly warningThreshold?: number;
  readonly thresholdReached: boolean;
}

export interface RequestMeterOptions {
  readonly connectionId: string;
  readonly counter?: RequestCounter;
  /** Requests per UTC day after which a warning is logged (once a day) and `thresholdReached` is set. */
  readonly warningThreshold?: number;
  readonly logger: ConnectorLogger;
  readonly now: () => Date;
}

/** Warned days per connection, process-wide: several clients of one connection warn once between them. */
const warnedDays = new Map<string, string>();

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Counts a connection's requests per UTC day through the store's {@link RequestCounter}: Power
 * Platform request entitlements are metered per day, and every operation inside a `$batch` counts
 * (docs/protocols/dataverse.md §3–4), so a batch adds its operation count.
 */
export class RequestMeter {
  private last: RequestUsage;

  constructor(private readonly options: RequestMeterOptions) {
    this.last = this.usageOf(utcDay(options.now()), 0);
  }

  /** Adds `count` requests now. A failing counter is logged, never allowed to fail the request itself. */
  async record(count: number): Promise<void> {
    if (count <= 0) return;
    const day = utcDay(this.options.now());
    let total: number;
    try {
      total = this.options.counter
        ? await this.options.counter.add(this.options.connectionId, day, count)
        : (this.last.day === day ? this.last.requests : 0) + count;
    } catch (error) {
      this.options.logger.warn(
        {
          connectionId: this.options.connectionId,
          err: error instanceof Error ? error.message : String(error),
        },
        'dataverse request count could not be stored',
      );
      total = (this.last.day === day ? this.last.requests : 0) + count;
    }
    this.last = this.usageOf(day, total);
    this.warnOncePerDay(this.last);
  }

  /** Today's usage as last seen (from the counter when there is one). */
  async usage(): Promise<RequestUsage> {
    const day = utcDay(this.options.now());
    if (this.options.counter) {
      this.last = this.usageOf(day, await this.options.counter.get(this.options.connectionId, day));
    } else if (this.last.day !== day) {
      this.last = this.usageOf(day, 0);
    }
    return this.last;
  }

  private usageOf(day: string, requests: number): RequestUsage {
    const threshold = this.options.warningThreshold;
    return {
      day,
      requests,
      ...(threshold !== undefined ? { warningThreshold: threshold } : {}),
      thresholdReached: threshold !== undefined && requests >= threshold,
    };
  }

  private warnOncePerDay(usage: RequestUsage): void {
    if (!usage.thresholdReached || warnedDays.get(this.options.connectionId) === usage.day) return;
    warnedDays.set(this.options.connectionId, usage.day);
    this.options.logger.warn(
      {
        connectionId: this.options.connectionId,
        day: usage.day,
        requests: usage.requests,
        warningThreshold: usage.warningThreshold,
      },
      'daily Dataverse request count reached the warning threshold',
    );
  }
}

/**
 * Request count and execution time over a sliding window, kept in one-second buckets so memory is bounded
 * by the window length (≤ windowSeconds + 1 buckets) however many requests arrive. A sample recorded during
 * second `s` counts until the clock reaches second `s + windowSeconds`, i.e. the window is exact to within
 * one second — plenty for limits measured over 300 seconds (docs/protocols/dataverse.md §4).
 */
export class SlidingWindow {
  private seconds: number[] = [];
  private counts: number[] = [];
  private execMs: number[] = [];
  private head = 0;
  private requestSum = 0;
  private execSum = 0;

  constructor(private readonly windowSeconds: number) {}

  get requests(): number {
    return this.requestSum;
  }

  get executionMs(): number {
    return this.execSum;
  }

  get isEmpty(): boolean {
    return this.head >= this.seconds.length;
  }

  /** Live buckets; exposed so tests can check that memory stays bounded. */
  get bucketCount(): number {
    return this.seconds.length - this.head;
  }

  /** Drops buckets that have slid out of the window as of `nowSecond`. */
  expire(nowSecond: number): void {
    const cutoff = nowSecond - this.windowSeconds;
    while (this.head < this.seconds.length && (this.seconds[this.head] ?? 0) <= cutoff) {
      this.requestSum -= this.counts[this.head] ?? 0;
      this.execSum -= this.execMs[this.head] ?? 0;
      this.head++;
    }
    if (this.isEmpty) {
      // Also cancels any floating-point residue left by the subtractions.
      this.seconds = [];
      this.counts = [];
      this.execMs = [];
      this.head = 0;
      this.requestSum = 0;
      this.execSum = 0;
    } else if (this.head > 64 && this.head * 2 > this.seconds.length) {
      this.seconds = this.seconds.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.execMs = this.execMs.slice(this.head);
      this.head = 0;
    }
  }

  addRequest(nowSecond: number): void {
    const i = this.bucket(nowSecond);
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.requestSum++;
  }

  addExecution(nowSecond: number, ms: number): void {
    const i = this.bucket(nowSecond);
    this.execMs[i] = (this.execMs[i] ?? 0) + ms;
    this.execSum += ms;
  }

  /**
   * Whole seconds (≥ 1) from `nowMs` until enough buckets slide out for the count to drop below
   * `maxRequests`, i.e. for one more request to be admitted.
   */
  secondsUntilRequestsBelow(maxRequests: number, nowMs: number): number {
    return this.secondsUntil(nowMs, (removedCount) => this.requestSum - removedCount < maxRequests, 'count');
  }

  /** Whole seconds (≥ 1) until the combined execution time drops below `maxExecutionMs`. */
  secondsUntilExecutionBelow(maxExecutionMs: number, nowMs: number): number {
    return this.secondsUntil(nowMs, (removedMs) => this.execSum - removedMs < maxExecutionMs, 'exec');
  }

  private secondsUntil(
    nowMs: number,
    satisfied: (removed: number) => boolean,
    measure: 'count' | 'exec',
  ): number {
    let removed = 0;
    for (let i = this.head; i < this.seconds.length; i++) {
      removed += (measure === 'count' ? this.counts[i] : this.execMs[i]) ?? 0;
      if (satisfied(removed)) {
        const slidesOutAtMs = ((this.seconds[i] ?? 0) + this.windowSeconds) * 1000;
        return Math.max(1, Math.ceil((slidesOutAtMs - nowMs) / 1000));
      }
    }
    return 1;
  }

  /** Index of the bucket for `nowSecond`; a clock that steps backwards keeps feeding the newest bucket. */
  private bucket(nowSecond: number): number {
    const last = this.seconds.length - 1;
    if (last >= this.head && (this.seconds[last] ?? 0) >= nowSecond) return last;
    this.seconds.push(nowSecond);
    this.counts.push(0);
    this.execMs.push(0);
    return this.seconds.length - 1;
  }
}

import type { AcceptedLead, InboundLeadRepository, NewInboundLead } from '../domain/index.js';

interface Submission {
  readonly leads: readonly NewInboundLead[];
  resolve(accepted: readonly AcceptedLead[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit for captures. Each request's leads must be durable before it is answered, and one
 * transaction per request caps throughput at the store's commit rate. So the requests that arrive in
 * one turn of the event loop, or while a transaction is being written, go in together in the next
 * one: a delay of one turn when the server is idle, batches of many requests under load. A failed
 * group is retried request by request, so one bad request never fails the others.
 */
export class AcceptBatcher {
  private readonly waiting = new Map<string, Submission[]>();
  private readonly writing = new Set<string>();

  constructor(
    private readonly leads: Pick<InboundLeadRepository, 'accept'>,
    private readonly maxLeadsPerTransaction = 2_000,
  ) {}

  accept(leads: readonly NewInboundLead[], connectionId: string): Promise<readonly AcceptedLead[]> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(connectionId) ?? [];
      queue.push({ leads, resolve, reject });
      this.waiting.set(connectionId, queue);
      if (this.writing.has(connectionId)) return;
      // Wait for the rest of this turn of the event loop: requests that arrived together join in.
      this.writing.add(connectionId);
      setImmediate(() => void this.drain(connectionId));
    });
  }

  private async drain(connectionId: string): Promise<void> {
    try {
      for (;;) {
        const group = this.takeGroup(connectionId);
        if (group.length === 0) return;
        await this.write(group, connectionId);
      }
    } finally {
      this.writing.delete(connectionId);
    }
  }

  private takeGroup(connectionId: string): Submission[] {
    const queue = this.waiting.get(connectionId) ?? [];
    const group: Submission[] = [];
    let count = 0;
    while (
      queue.length > 0 &&
      (group.length === 0 || count + queue[0]!.leads.length <= this.maxLeadsPerTransaction)
    ) {
      const next = queue.shift()!;
      group.push(next);
      count += next.leads.length;
    }
    if (queue.length === 0) this.waiting.delete(connectionId);
    return group;
  }

  private async write(group: readonly Submission[], connectionId: string): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Submission];
      await this.leads.accept(only.leads, { connectionId }).then(only.resolve, only.reject);
      return;
    }
    let accepted: readonly AcceptedLead[];
    try {
      accepted = await this.leads.accept(
        group.flatMap((submission) => submission.leads),
        { connectionId },
      );
    } catch {
      for (const submission of group)
        await this.leads
          .accept(submission.leads, { connectionId })
          .then(submission.resolve, submission.reject);
      return;
    }
    let offset = 0;
    for (const submission of group) {
      submission.resolve(accepted.slice(offset, offset + submission.leads.length));
      offset += submission.leads.length;
    }
  }
}

/**
 * Which one of several scheduler processes runs the timed cycles. Any number may be started (a plain
 * `leadbridge serve` has every role); the one that leads runs the cycles, the others stand by and
 * take over when it goes away. Without it, every scheduler would pull the same CRM changes again.
 */
export interface SchedulerLeadership {
  /** Whether this process leads now: keeps the lead it has, or tries to take a free one. */
  tryLead(): Promise<boolean>;
  /** Gives the lead up (another process may take it at its next tick). */
  close(): Promise<void>;
}

/** One thing a person or the system did, kept for admins to read back. */
export interface AuditEvent {
  readonly id: string;
  readonly at: string;
  readonly actorUserId?: string;
  /** Dotted lowercase name, e.g. `crm_connection.created`. */
  readonly action: string;
  /** What it was done to, e.g. a connection id. */
  readonly subject?: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface NewAuditEvent {
  readonly actorUserId?: string;
  readonly action: string;
  readonly subject?: string;
  /** JSON-serialisable; values under secret-looking keys are stored as `[redacted]`. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditLog {
  append(event: NewAuditEvent): Promise<AuditEvent>;
  /** Newest first. */
  listRecent(options?: {
    readonly limit?: number;
    readonly subject?: string;
  }): Promise<readonly AuditEvent[]>;
}

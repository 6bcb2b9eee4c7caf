/**
 * The part of a pino logger the connector writes to (pino's `(object, message)` call form). Objects
 * carry method, path without the query string, status, duration and REQ_ID; never a header, a body,
 * a token or a secret.
 */
export interface ConnectorLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
  debug?(object: Record<string, unknown>, message: string): void;
}

export const silentLogger: ConnectorLogger = { info: () => {}, warn: () => {} };

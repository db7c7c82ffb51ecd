/** What mysql2 puts on a failed query's error. */
export interface MysqlDriverError {
  code: string;
  sqlMessage?: string;
}

/**
 * The driver's error behind a failure: drizzle wraps it in `cause`, and callers may wrap again. The first
 * error along the cause chain that carries a string `code` (mysql2's `ER_…`, or a socket's `ECONNRESET`).
 */
export function mysqlError(error: unknown): MysqlDriverError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, sqlMessage } = e as { code?: unknown; sqlMessage?: unknown };
    if (typeof code === "string") return typeof sqlMessage === "string" ? { code, sqlMessage } : { code };
  }
  return undefined;
}

/** The MySQL (or socket) error code of a failed query, like `ER_DUP_ENTRY`. */
export const mysqlErrorCode = (error: unknown): string | undefined => mysqlError(error)?.code;

/**
 * Codes that mean MySQL cannot be reached or did not answer (refused, reset, timed out, lost, too many
 * connections, access revoked), as opposed to a statement it refused: the service is unavailable.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "POOL_ACQUIRE_TIMEOUT",
  "QUERY_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_ACCESS_DENIED_ERROR",
  "ER_SERVER_SHUTDOWN",
]);

/** Whether a failure is MySQL being unreachable or silent rather than refusing the statement. */
export const isMysqlUnavailable = (error: unknown): boolean =>
  UNAVAILABLE_CODES.has(mysqlErrorCode(error) ?? "");

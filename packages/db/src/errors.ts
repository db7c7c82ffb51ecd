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

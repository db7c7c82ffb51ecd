import type mysql from "mysql2/promise";

/** A MySQL that did not answer in time: no free connection came, or a statement got no reply. */
export class MysqlTimeoutError extends Error {
  constructor(
    readonly code: "POOL_ACQUIRE_TIMEOUT" | "QUERY_TIMEOUT",
    message: string,
  ) {
    super(message);
    this.name = "MysqlTimeoutError";
  }
}

export interface PoolTimeouts {
  acquireMs: number;
  queryMs: number;
}

/** `work`, or `timeout()` thrown after `ms`; what `work` yields later goes to `late` (or is dropped). */
function within<T>(work: Promise<T>, ms: number, timeout: () => Error, late?: (value: T) => void) {
  if (ms <= 0) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      work.then(late, () => undefined);
      reject(timeout());
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: Error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

type Statement = (sql: unknown, values?: unknown) => Promise<unknown>;

/** `target` with some members replaced; every other member is the target's own. */
const overriding = <T extends object>(target: T, overrides: Record<string, unknown>): T =>
  new Proxy(target, {
    get: (object, key, receiver) =>
      typeof key === "string" && key in overrides ? overrides[key] : Reflect.get(object, key, receiver),
  });

/** A statement's own `{ timeout }` (0: none, for a lock wait or DDL) wins over the pool's. */
const timeoutOf = (sql: unknown, fallback: number) =>
  typeof sql === "object" && sql !== null && typeof (sql as { timeout?: unknown }).timeout === "number"
    ? (sql as { timeout: number }).timeout
    : fallback;

/**
 * A pooled connection whose statements time out. mysql2's own `timeout` starts only once a statement reaches
 * the wire and leaves the connection busy, so a silent server would keep it forever: here a statement without
 * an answer in time drops its connection (mysql2 then opens a fresh one), and every later statement on it
 * (a transaction's ROLLBACK) fails with the same error at once instead of "connection in closed state".
 */
function timedConnection(connection: mysql.PoolConnection, queryMs: number): mysql.PoolConnection {
  let lost: Error | undefined;
  const timed =
    (statement: Statement): Statement =>
    async (sql, values) => {
      if (lost) throw lost;
      const ms = timeoutOf(sql, queryMs);
      try {
        return await within(
          statement(sql, values),
          ms,
          () => new MysqlTimeoutError("QUERY_TIMEOUT", `MySQL did not answer a statement within ${ms} ms`),
        );
      } catch (error) {
        if (error instanceof MysqlTimeoutError || (error as { fatal?: boolean }).fatal) {
          lost = error as Error;
          connection.destroy();
        }
        throw error;
      }
    };
  return overriding(connection, {
    query: timed((sql, values) => connection.query(sql as string, values as never)),
    execute: timed((sql, values) => connection.execute(sql as string, values as never)),
  });
}

/**
 * The pool with acquire and query timeouts, which mysql2 lacks (it has only `connectTimeout`). What drizzle
 * and the rest of the code call (`query`, `execute`, `getConnection`) is timed; everything else is the pool.
 */
export function withTimeouts(pool: mysql.Pool, timeouts: PoolTimeouts): mysql.Pool {
  const getConnection = async () =>
    timedConnection(
      await within(
        pool.getConnection(),
        timeouts.acquireMs,
        () =>
          new MysqlTimeoutError(
            "POOL_ACQUIRE_TIMEOUT",
            `no MySQL connection became free within ${timeouts.acquireMs} ms`,
          ),
        (late) => late.release(),
      ),
      timeouts.queryMs,
    );
  const onFreeConnection =
    (method: "query" | "execute"): Statement =>
    async (sql, values) => {
      const connection = await getConnection();
      try {
        return await (connection[method] as Statement)(sql, values);
      } finally {
        connection.release();
      }
    };
  return overriding(pool, {
    getConnection,
    query: onFreeConnection("query"),
    execute: onFreeConnection("execute"),
  });
}

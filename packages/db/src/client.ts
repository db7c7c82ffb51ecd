import { sql } from "drizzle-orm";
import type { MySql2Database } from "drizzle-orm/mysql2";
import { drizzle } from "drizzle-orm/mysql2";
import mysql from "mysql2/promise";

import type { MysqlConfig } from "./config";
import * as schema from "./schema";
import { withTimeouts } from "./timed-pool";

export type Schema = typeof schema;
/** What `drizzle()` returns: the query builder, and the mysql2 pool under it as `$client`. */
export type Database = MySql2Database<Schema> & { $client: mysql.Pool };
/** What a function that may run inside or outside a transaction accepts. */
export type Executor = Database | Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DbHandle {
  db: Database;
  pool: mysql.Pool;
  config: MysqlConfig;
  /** Runs `SELECT 1`; resolves to false instead of throwing. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

const connectionOptions = (config: MysqlConfig) => ({
  host: config.host,
  port: config.port,
  user: config.user,
  password: config.password,
  charset: "utf8mb4_unicode_ci",
  timezone: "Z",
  supportBigNumbers: true,
  connectTimeout: config.connectTimeoutMs,
});

/**
 * Every session in UTC, so CURRENT_TIMESTAMP defaults read back unshifted; GROUP_CONCAT long enough for a
 * memo's whole tag list.
 */
const SESSION_SETUP = "SET time_zone = '+00:00', group_concat_max_len = 1048576";

/** One connection of its own, outside the pool and its statement timeout (for migrations). */
export async function openConnection(config: MysqlConfig): Promise<mysql.Connection> {
  const connection = await mysql.createConnection({
    ...connectionOptions(config),
    database: config.database,
  });
  await connection.query(SESSION_SETUP);
  return connection;
}

/** Creates the database when it is missing; utf8mb4 so emoji and CJK Extension B survive. */
export async function ensureDatabase(config: MysqlConfig): Promise<void> {
  const connection = await mysql.createConnection(connectionOptions(config));
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${config.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

export async function dropDatabase(config: MysqlConfig): Promise<void> {
  const connection = await mysql.createConnection(connectionOptions(config));
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${config.database}\``);
  } finally {
    await connection.end();
  }
}

export async function createDb(config: MysqlConfig): Promise<DbHandle> {
  await ensureDatabase(config);
  const pool = withTimeouts(
    mysql.createPool({
      ...connectionOptions(config),
      database: config.database,
      connectionLimit: config.connectionLimit,
      waitForConnections: true,
      enableKeepAlive: true,
    }),
    { acquireMs: config.acquireTimeoutMs, queryMs: config.queryTimeoutMs },
  );
  // Queued before any statement of the new connection. A failure here is the connection's: the statement
  // behind it fails the same way, so this one's error is not reported twice.
  pool.pool.on("connection", (connection) => {
    connection.query(SESSION_SETUP, () => undefined);
  });
  const db = drizzle(pool, { schema, mode: "planetscale" });
  let closed = false;
  return {
    db,
    pool,
    config,
    async ping() {
      try {
        await db.execute(sql`SELECT 1`);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

import { sql } from "drizzle-orm";
import type { MySql2Database } from "drizzle-orm/mysql2";
import { drizzle } from "drizzle-orm/mysql2";
import mysql from "mysql2/promise";

import type { MysqlConfig } from "./config";
import * as schema from "./schema";

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
});

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
  const pool = mysql.createPool({
    ...connectionOptions(config),
    database: config.database,
    connectionLimit: config.connectionLimit,
    waitForConnections: true,
    enableKeepAlive: true,
  });
  // Session time zone UTC, so CURRENT_TIMESTAMP defaults read back unshifted; GROUP_CONCAT long enough
  // for a memo's whole tag list.
  pool.pool.on("connection", (connection) => {
    connection.query("SET time_zone = '+00:00', group_concat_max_len = 1048576");
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

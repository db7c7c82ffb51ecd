import { fileURLToPath } from "node:url";

import { migrate as drizzleMigrate } from "drizzle-orm/mysql2/migrator";

import type { DbHandle } from "./client";

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));

/**
 * Applies pending migrations; an up-to-date database is a no-op. A named lock, held on one dedicated
 * connection, keeps two processes (two servers, server and migrator) from applying them at once.
 */
/** At most 64 characters in MySQL 8: a fixed prefix and a hash of the database name. */
const LOCK_NAME = "CONCAT('aimo_migrate_', SHA1(DATABASE()))";

export async function migrate(handle: DbHandle): Promise<void> {
  const lockConnection = await handle.pool.getConnection();
  try {
    // Named locks are server-wide: one per database, so migrations of different databases never queue.
    const [rows] = await lockConnection.query(`SELECT GET_LOCK(${LOCK_NAME}, 120) AS locked`);
    if ((rows as { locked: number }[])[0]?.locked !== 1) {
      throw new Error("could not take the migration lock within 120 s");
    }
    try {
      await drizzleMigrate(handle.db, { migrationsFolder });
    } finally {
      await lockConnection.query(`SELECT RELEASE_LOCK(${LOCK_NAME})`);
    }
  } finally {
    lockConnection.release();
  }
}

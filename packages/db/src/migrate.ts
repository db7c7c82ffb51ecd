import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { drizzle } from "drizzle-orm/mysql2";
import { migrate as drizzleMigrate } from "drizzle-orm/mysql2/migrator";

import type { DbHandle } from "./client";
import { openConnection } from "./client";

/**
 * The SQL files: this package's drizzle/ folder, or in a bundled app (tooling/build) the copy beside the bundle,
 * whose import.meta.url is the bundle's own file.
 */
export const migrationsFolder = ["./drizzle", "../drizzle"]
  .map((path) => fileURLToPath(new URL(path, import.meta.url)))
  .find((folder) => existsSync(join(folder, "meta", "_journal.json")))!;

/** At most 64 characters in MySQL 8: a fixed prefix and a hash of the database name. */
const LOCK_NAME = "CONCAT('aimo_migrate_', SHA1(DATABASE()))";

/**
 * Applies pending migrations; an up-to-date database is a no-op. A named lock keeps two processes (two
 * servers, server and migrator) from applying them at once. Lock and migrations use a connection of their
 * own, outside the pool's statement timeout: the lock wait and DDL on a big table may take minutes.
 */
export async function migrate(handle: DbHandle): Promise<void> {
  const connection = await openConnection(handle.config);
  try {
    // Named locks are server-wide: one per database, so migrations of different databases never queue.
    const [rows] = await connection.query(`SELECT GET_LOCK(${LOCK_NAME}, 120) AS locked`);
    if ((rows as { locked: number }[])[0]?.locked !== 1) {
      throw new Error("could not take the migration lock within 120 s");
    }
    try {
      await drizzleMigrate(drizzle(connection, { mode: "planetscale" }), { migrationsFolder });
    } finally {
      await connection.query(`SELECT RELEASE_LOCK(${LOCK_NAME})`);
    }
  } finally {
    await connection.end();
  }
}

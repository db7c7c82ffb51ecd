import { randomBytes } from "node:crypto";

import { createDb, dropDatabase } from "./client";
import type { DbHandle } from "./client";
import { mysqlConfigFromProcessEnv } from "./config";
import type { MysqlConfig } from "./config";
import { migrate } from "./migrate";

export interface ScratchDatabase extends DbHandle {
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** MySQL settings from the environment (MYSQL_URL or parts) with another database name. */
export function scratchConfig(label: string): MysqlConfig {
  const base = mysqlConfigFromProcessEnv();
  const suffix = randomBytes(4).toString("hex");
  return { ...base, database: `aimo_${label.replace(/\W/g, "_").slice(0, 30)}_${suffix}` };
}

/** A fresh, migrated database of its own, for one test file or one benchmark run. */
export async function openScratchDatabase(label: string): Promise<ScratchDatabase> {
  const config = scratchConfig(label);
  const handle = await createDb(config);
  await migrate(handle);
  return {
    ...handle,
    async drop() {
      await handle.close();
      await dropDatabase(config);
    },
  };
}

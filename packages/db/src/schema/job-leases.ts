import { sql } from "drizzle-orm";
import { mysqlTable, timestamp, varchar } from "drizzle-orm/mysql-core";

/**
 * One row per scheduled job (push rules, LanceDB maintenance): the last slot a server process claimed, who holds
 * it and until when (database clock). A process runs a job's slot only by taking this row, so N processes run
 * each slot once and never two runs of a job at a time; a holder that dies stops blocking once its lease
 * expires. Slots are ISO-8601 UTC instants, so they sort as they happen.
 */
export const jobLeases = mysqlTable("job_leases", {
  job: varchar("job", { length: 64 }).primaryKey(),
  slot: varchar("slot", { length: 32 }).notNull(),
  holder: varchar("holder", { length: 128 }).notNull(),
  expiresAt: timestamp("expires_at", { mode: "date", fsp: 3 })
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`),
  /** Set when the holder finished the slot; a slot left unfinished past its expiry may be taken over. */
  finishedAt: timestamp("finished_at", { mode: "date", fsp: 3 }),
});

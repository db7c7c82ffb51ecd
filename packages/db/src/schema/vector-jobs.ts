import { sql } from "drizzle-orm";
import { index, int, mysqlTable, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const VECTOR_JOB_TARGETS = ["memo", "attachment"] as const;
export type VectorJobTarget = (typeof VECTOR_JOB_TARGETS)[number];
export const VECTOR_JOB_OPS = ["upsert", "delete"] as const;
export type VectorJobOp = (typeof VECTOR_JOB_OPS)[number];
export const VECTOR_JOB_STATUSES = ["pending", "failed"] as const;
export type VectorJobStatus = (typeof VECTOR_JOB_STATUSES)[number];

/**
 * Outbox of vector work, written in the same transaction as the MySQL change so a crash between MySQL
 * and LanceDB is finished later. One row per target: a newer change replaces the older pending work.
 * A row disappears once LanceDB has the change.
 */
export const vectorJobs = mysqlTable(
  "vector_jobs",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    target: varchar("target", { length: 16, enum: VECTOR_JOB_TARGETS }).notNull(),
    targetId: id("target_id").notNull(),
    op: varchar("op", { length: 16, enum: VECTOR_JOB_OPS }).notNull(),
    status: varchar("status", { length: 16, enum: VECTOR_JOB_STATUSES }).notNull().default("pending"),
    attempts: int("attempts").notNull().default(0),
    lastError: text("last_error"),
    runAfter: timestamp("run_after", { mode: "date", fsp: 3 })
      .notNull()
      .default(sql`CURRENT_TIMESTAMP(3)`),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("vector_jobs_target_unique").on(t.target, t.targetId),
    index("vector_jobs_status_run_after_idx").on(t.status, t.runAfter),
    index("uid_idx").on(t.uid),
  ],
);

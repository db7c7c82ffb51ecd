import {
  index,
  int,
  json,
  mysqlTable,
  primaryKey,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const IMPORT_STATUSES = ["running", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Something an import left out, and why. */
export interface ImportSkip {
  item: string;
  reason: string;
}

/**
 * One import of one file by one user, keyed by the file's SHA-256: the same file sent again resumes this session
 * (items already done are skipped), so an import is resumable and idempotent.
 */
export const importSessions = mysqlTable(
  "import_sessions",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    contentHash: varchar("content_hash", { length: 64 }).notNull(),
    format: varchar("format", { length: 32 }).notNull(),
    status: varchar("status", { length: 16, enum: IMPORT_STATUSES }).notNull(),
    total: int("total").notNull().default(0),
    done: int("done").notNull().default(0),
    skipped: json("skipped").$type<ImportSkip[]>().notNull(),
    /** While running: until when the running process holds it; a crashed run's session is taken over after. */
    leaseUntil: timestamp("lease_until", { mode: "date", fsp: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("uid_idx").on(t.uid),
    uniqueIndex("import_sessions_uid_hash_unique").on(t.uid, t.contentHash),
  ],
);

/** The items of a session that are written: their key in the file and the id they got (links follow it). */
export const importItems = mysqlTable(
  "import_items",
  {
    sessionId: id("session_id")
      .notNull()
      .references(() => importSessions.id, { onDelete: "cascade" }),
    itemKey: varchar("item_key", { length: 191 }).notNull(),
    targetId: id("target_id"),
  },
  (t) => [primaryKey({ name: "import_items_pk", columns: [t.sessionId, t.itemKey] })],
);

import { index, int, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

import { NAME_MAX } from "../limits";
import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const tags = mysqlTable(
  "tags",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    name: varchar("name", { length: NAME_MAX }).notNull(),
    color: varchar("color", { length: 32 }),
    /** Kept in the same transaction as memo_tags changes. */
    usageCount: int("usage_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("uid_idx").on(t.uid), uniqueIndex("tags_uid_name_unique").on(t.uid, t.name)],
);

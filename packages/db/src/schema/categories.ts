import { index, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

import { NAME_MAX } from "../limits";
import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const categories = mysqlTable(
  "categories",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    /** Case-insensitive collation: "Work" and "work" are the same category for one user. */
    name: varchar("name", { length: NAME_MAX }).notNull(),
    color: varchar("color", { length: 32 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("uid_idx").on(t.uid), uniqueIndex("categories_uid_name_unique").on(t.uid, t.name)],
);

import { date, index, json, mysqlTable, uniqueIndex } from "drizzle-orm/mysql-core";

import { createdAt, id } from "./columns";
import { users } from "./users";

export const dailyRecommendations = mysqlTable(
  "daily_recommendations",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    /** Calendar day in LOCALE_TIMEZONE. */
    date: date("date", { mode: "string" }).notNull(),
    memoIds: json("memo_ids").$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("uid_idx").on(t.uid), uniqueIndex("daily_recommendations_uid_date_unique").on(t.uid, t.date)],
);

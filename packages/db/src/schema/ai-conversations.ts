import { index, mysqlTable, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const aiConversations = mysqlTable(
  "ai_conversations",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    title: varchar("title", { length: 255 }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("uid_idx").on(t.uid), index("ai_conversations_uid_updated_at_idx").on(t.uid, t.updatedAt)],
);

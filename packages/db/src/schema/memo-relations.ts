import { index, mysqlTable, uniqueIndex } from "drizzle-orm/mysql-core";

import { createdAt, id } from "./columns";
import { memos } from "./memos";
import { users } from "./users";

export const memoRelations = mysqlTable(
  "memo_relations",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    sourceMemoId: id("source_memo_id")
      .notNull()
      .references(() => memos.id, { onDelete: "cascade" }),
    targetMemoId: id("target_memo_id")
      .notNull()
      .references(() => memos.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("uid_idx").on(t.uid),
    uniqueIndex("memo_relations_source_target_unique").on(t.sourceMemoId, t.targetMemoId),
    index("memo_relations_target_idx").on(t.targetMemoId),
  ],
);

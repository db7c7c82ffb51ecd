import { index, int, mysqlTable, primaryKey } from "drizzle-orm/mysql-core";

import { id } from "./columns";
import { memos } from "./memos";
import { tags } from "./tags";
import { users } from "./users";

/** A memo's tags, in order: a join table so tag filters use an index and counts can be exact. */
export const memoTags = mysqlTable(
  "memo_tags",
  {
    memoId: id("memo_id")
      .notNull()
      .references(() => memos.id, { onDelete: "cascade" }),
    tagId: id("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    position: int("position").notNull().default(0),
  },
  (t) => [
    primaryKey({ name: "memo_tags_pk", columns: [t.memoId, t.tagId] }),
    index("memo_tags_tag_id_idx").on(t.tagId),
    index("uid_idx").on(t.uid),
  ],
);

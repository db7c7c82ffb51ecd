import { boolean, index, json, mysqlTable, varchar } from "drizzle-orm/mysql-core";

import { SOURCE_URL_MAX } from "../limits";
import { categories } from "./categories";
import { createdAt, id, mediumText, updatedAt } from "./columns";
import { users } from "./users";

export const MEMO_TYPES = ["text", "audio", "video"] as const;
export type MemoType = (typeof MEMO_TYPES)[number];

export const memos = mysqlTable(
  "memos",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    categoryId: id("category_id").references(() => categories.id, { onDelete: "set null" }),
    content: mediumText("content").notNull(),
    type: varchar("type", { length: 16, enum: MEMO_TYPES }).notNull().default("text"),
    source: varchar("source", { length: SOURCE_URL_MAX }),
    /** Ordered attachment ids. */
    attachmentIds: json("attachment_ids").$type<string[]>().notNull(),
    isPublic: boolean("is_public").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("uid_idx").on(t.uid),
    index("memos_uid_created_at_idx").on(t.uid, t.createdAt),
    index("memos_uid_updated_at_idx").on(t.uid, t.updatedAt),
    index("memos_created_at_idx").on(t.createdAt),
    index("memos_updated_at_idx").on(t.updatedAt),
    index("memos_category_id_idx").on(t.categoryId),
  ],
);

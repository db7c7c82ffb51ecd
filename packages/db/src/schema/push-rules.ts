import { boolean, index, json, mysqlTable, tinyint, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { users } from "./users";

export const PUSH_CONTENT_TYPES = ["daily_pick", "daily_memos"] as const;
export type PushContentType = (typeof PUSH_CONTENT_TYPES)[number];

/** One delivery target; secrets stay server-side and are masked in DTOs. */
export interface PushChannel {
  type: "meow" | "feishu" | "webhook";
  nickname?: string;
  msgType?: "text" | "html";
  htmlHeight?: number;
  webhookUrl?: string;
  secret?: string;
}

export const pushRules = mysqlTable(
  "push_rules",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    name: varchar("name", { length: 128 }).notNull(),
    /** Hour of day, 0-23, in LOCALE_TIMEZONE. */
    pushTime: tinyint("push_time").notNull(),
    contentType: varchar("content_type", { length: 32, enum: PUSH_CONTENT_TYPES }).notNull(),
    channels: json("channels").$type<PushChannel[]>().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("uid_idx").on(t.uid), index("push_rules_push_time_idx").on(t.pushTime, t.enabled)],
);

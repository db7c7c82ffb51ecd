import { index, int, mysqlTable, text, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { pushRules } from "./push-rules";
import { users } from "./users";

export const PUSH_DELIVERY_STATUSES = ["pending", "success", "failed"] as const;
export type PushDeliveryStatus = (typeof PUSH_DELIVERY_STATUSES)[number];

/** Delivery log of push rules, one row per rule run and channel, readable by the rule's owner. */
export const pushDeliveries = mysqlTable(
  "push_deliveries",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    ruleId: id("rule_id")
      .notNull()
      .references(() => pushRules.id, { onDelete: "cascade" }),
    channelType: varchar("channel_type", { length: 16 }).notNull(),
    status: varchar("status", { length: 16, enum: PUSH_DELIVERY_STATUSES }).notNull(),
    attempts: int("attempts").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("uid_idx").on(t.uid), index("push_deliveries_rule_id_idx").on(t.ruleId, t.createdAt)],
);

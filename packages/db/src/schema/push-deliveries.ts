import { index, int, mysqlTable, text, tinyint, uniqueIndex, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id, updatedAt } from "./columns";
import { pushRules } from "./push-rules";
import { users } from "./users";

export const PUSH_DELIVERY_STATUSES = ["pending", "success", "failed"] as const;
export type PushDeliveryStatus = (typeof PUSH_DELIVERY_STATUSES)[number];

/**
 * Delivery log of push rules, one row per rule run and channel, readable by the rule's owner. A scheduled run
 * records its rows under (rule, slot, channel) before sending: a retry or a second server process finds the
 * row and does not send again. A manual send (`sendNow`) has no slot.
 */
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
    /** The channel's position in the rule. */
    channelIndex: tinyint("channel_index").notNull().default(0),
    /** The scheduler's slot (ISO-8601 UTC start of the hour); null for a manual send. */
    slot: varchar("slot", { length: 32 }),
    /** The message id sent to the receiver (`webhook-id`), the same for every attempt of a slot's delivery. */
    messageId: varchar("message_id", { length: 64 }),
    status: varchar("status", { length: 16, enum: PUSH_DELIVERY_STATUSES }).notNull(),
    attempts: int("attempts").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("uid_idx").on(t.uid),
    index("push_deliveries_rule_id_idx").on(t.ruleId, t.createdAt),
    uniqueIndex("push_deliveries_slot_unique").on(t.ruleId, t.slot, t.channelIndex),
  ],
);

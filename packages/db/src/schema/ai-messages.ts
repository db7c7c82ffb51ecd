import { index, json, mysqlTable, varchar } from "drizzle-orm/mysql-core";

import { aiConversations } from "./ai-conversations";
import { createdAt, id, mediumText } from "./columns";
import { users } from "./users";

export const MESSAGE_ROLES = ["user", "assistant"] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];

/** A memo an answer cites: excerpt is the memo's first 200 characters, score the cosine relevance. */
export interface MessageSource {
  memoId: string;
  content: string;
  similarity: number;
}

export const aiMessages = mysqlTable(
  "ai_messages",
  {
    id: id("id").primaryKey(),
    conversationId: id("conversation_id")
      .notNull()
      .references(() => aiConversations.id, { onDelete: "cascade" }),
    /** Denormalised owner so every table is scoped and cascades from users. */
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    role: varchar("role", { length: 16, enum: MESSAGE_ROLES }).notNull(),
    content: mediumText("content").notNull(),
    sources: json("sources").$type<MessageSource[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("uid_idx").on(t.uid),
    index("ai_messages_conversation_id_idx").on(t.conversationId, t.createdAt),
  ],
);

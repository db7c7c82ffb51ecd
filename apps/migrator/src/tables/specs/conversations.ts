import { aiConversations, aiMessages } from "@aimo/db";

import { RecordError, requiredText, text, timestamp } from "../values";
import { tableSpec } from "./types";

export const aiConversationsSpec = tableSpec({
  legacyIdColumn: "conversationId",
  target: aiConversations,
  map(row) {
    return {
      row: {
        uid: String(row.uid),
        title: requiredText(row.title, "title", 255),
        createdAt: timestamp(row.createdAt, "createdAt"),
        updatedAt: timestamp(row.updatedAt, "updatedAt"),
      },
    };
  },
});

export const aiMessagesSpec = tableSpec({
  legacyIdColumn: "messageId",
  target: aiMessages,
  map(row, { ctx }) {
    const conversationId = String(row.conversationId);
    const uid = ctx.conversationOwners.get(conversationId);
    if (!uid) throw new RecordError(`conversation ${conversationId} does not exist`);
    const role = requiredText(row.role, "role");
    if (role !== "user" && role !== "assistant")
      throw new RecordError(`role "${role}" is not user or assistant`);
    const sources = (Array.isArray(row.sources) ? (row.sources as Record<string, unknown>[]) : []).map(
      (s) => ({
        memoId: String(s.memoId),
        content: text(s.content) ?? "",
        similarity: Number(s.similarity ?? 0),
      }),
    );
    return {
      row: {
        conversationId,
        uid,
        role,
        content: requiredText(row.content, "content"),
        sources,
        createdAt: timestamp(row.createdAt, "createdAt"),
      },
    };
  },
});

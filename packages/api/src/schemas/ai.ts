import { z } from "zod";

import { idSchema, memoContentSchema, pageInput } from "../validation";

const titleSchema = z.string().trim().min(1).max(255);

export const conversationCreateInput = z.strictObject({ title: titleSchema.optional() }).default({});
export type ConversationCreateInput = z.output<typeof conversationCreateInput>;

export const conversationRenameInput = z.strictObject({ id: idSchema, title: titleSchema });
export type ConversationRenameInput = z.output<typeof conversationRenameInput>;

export const messagesInput = z.strictObject({ conversationId: idSchema, ...pageInput.shape });
export type MessagesInput = z.output<typeof messagesInput>;

export const chatSendInput = z.strictObject({
  conversationId: idSchema.optional(),
  content: z.string().trim().min(1).max(8000),
});
export type ChatSendInput = z.output<typeof chatSendInput>;

/** A memo's text, as it is being written, and how many tags to suggest for it. */
export const suggestTagsInput = z.strictObject({
  content: memoContentSchema.refine((text) => text.trim().length > 0, "content is empty"),
  limit: z.number().int().min(1).max(20).default(8),
});
export type SuggestTagsInput = z.output<typeof suggestTagsInput>;

import type { AiConversation, Executor } from "@aimo/db";
import { aiConversations, aiMessages, createId } from "@aimo/db";
import { and, asc, desc, eq } from "drizzle-orm";

import type { ApiDeps } from "../../context";
import type { ConversationCreateInput, ConversationRenameInput, MessagesInput } from "../../schemas/ai";
import type { PageInput } from "../../validation";
import type { ConversationDto } from "../../dto/conversation";
import { toConversationDto, toMessageDto } from "../../dto/conversation";
import { notFound } from "../../errors";
import { afterCursor, keysetPage } from "../pagination";

/** The title of a conversation nobody named; its first question replaces it. */
export const DEFAULT_TITLE = "New conversation";

export async function loadOwnedConversation(db: Executor, uid: string, id: string): Promise<AiConversation> {
  const [row] = await db
    .select()
    .from(aiConversations)
    .where(and(eq(aiConversations.id, id), eq(aiConversations.uid, uid)))
    .limit(1);
  if (!row) throw notFound("Conversation");
  return row;
}

export const conversationService = {
  /** Most recently active first, keyset-paginated. */
  async list(ctx: ApiDeps, uid: string, input: PageInput) {
    const conditions = [eq(aiConversations.uid, uid)];
    if (input.cursor)
      conditions.push(afterCursor(aiConversations.updatedAt, aiConversations.id, input.cursor, "desc"));
    const rows = await ctx.db
      .select()
      .from(aiConversations)
      .where(and(...conditions))
      .orderBy(desc(aiConversations.updatedAt), desc(aiConversations.id))
      .limit(input.limit + 1);
    const { page, nextCursor } = keysetPage(rows, input.limit, (row) => row.updatedAt);
    return { items: page.map(toConversationDto), nextCursor };
  },

  async create(ctx: ApiDeps, uid: string, input: ConversationCreateInput): Promise<ConversationDto> {
    const now = new Date();
    const row = {
      id: createId("conversation"),
      uid,
      title: input.title ?? DEFAULT_TITLE,
      createdAt: now,
      updatedAt: now,
    };
    await ctx.db.insert(aiConversations).values(row);
    return toConversationDto(row);
  },

  async rename(ctx: ApiDeps, uid: string, input: ConversationRenameInput): Promise<ConversationDto> {
    await loadOwnedConversation(ctx.db, uid, input.id);
    await ctx.db.update(aiConversations).set({ title: input.title }).where(eq(aiConversations.id, input.id));
    return toConversationDto(await loadOwnedConversation(ctx.db, uid, input.id));
  },

  /** Its messages go with it (foreign key cascade). */
  async delete(ctx: ApiDeps, uid: string, id: string) {
    const [result] = await ctx.db
      .delete(aiConversations)
      .where(and(eq(aiConversations.id, id), eq(aiConversations.uid, uid)));
    if (result.affectedRows === 0) throw notFound("Conversation");
    return { ok: true as const };
  },

  /** Oldest first, keyset-paginated. */
  async messages(ctx: ApiDeps, uid: string, input: MessagesInput) {
    await loadOwnedConversation(ctx.db, uid, input.conversationId);
    const conditions = [eq(aiMessages.conversationId, input.conversationId)];
    if (input.cursor) conditions.push(afterCursor(aiMessages.createdAt, aiMessages.id, input.cursor, "asc"));
    const rows = await ctx.db
      .select()
      .from(aiMessages)
      .where(and(...conditions))
      .orderBy(asc(aiMessages.createdAt), asc(aiMessages.id))
      .limit(input.limit + 1);
    const { page, nextCursor } = keysetPage(rows, input.limit, (row) => row.createdAt);
    return { items: page.map(toMessageDto), nextCursor };
  },
};

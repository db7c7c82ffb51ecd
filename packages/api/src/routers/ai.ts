import { z } from "zod";

import { chatService } from "../services/conversations/chat";
import { conversationService } from "../services/conversations/conversations";
import { protectedProcedure } from "../trpc";
import { idSchema } from "../validation";

const titleSchema = z.string().trim().min(1).max(255);
const pageInput = {
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
};

export const aiRouter = {
  /** What the AI features can do with this server's configuration. */
  status: protectedProcedure.query(({ ctx }) => ({
    chat: ctx.chat ? { model: ctx.chat.model } : null,
    imageSearch: ctx.multimodal !== null,
  })),
  conversations: {
    list: protectedProcedure
      .input(z.strictObject(pageInput).default({ limit: 20 }))
      .query(({ ctx, input }) => conversationService.list(ctx, ctx.user.uid, input)),
    create: protectedProcedure
      .input(z.strictObject({ title: titleSchema.optional() }).default({}))
      .mutation(({ ctx, input }) => conversationService.create(ctx, ctx.user.uid, input)),
    rename: protectedProcedure
      .input(z.strictObject({ id: idSchema, title: titleSchema }))
      .mutation(({ ctx, input }) => conversationService.rename(ctx, ctx.user.uid, input)),
    delete: protectedProcedure
      .input(z.strictObject({ id: idSchema }))
      .mutation(({ ctx, input }) => conversationService.delete(ctx, ctx.user.uid, input.id)),
  },
  /** A conversation's messages, oldest first. */
  messages: protectedProcedure
    .input(z.strictObject({ conversationId: idSchema, ...pageInput }))
    .query(({ ctx, input }) => conversationService.messages(ctx, ctx.user.uid, input)),
  /**
   * Asks about one's memos; streams `ChatEvent`s (use a streaming link: the typed client does). Without a
   * conversation id, a new conversation is started and titled from the question.
   */
  send: protectedProcedure
    .input(
      z.strictObject({ conversationId: idSchema.optional(), content: z.string().trim().min(1).max(8000) }),
    )
    .mutation(({ ctx, input, signal }) => chatService.send(ctx, ctx.user.uid, input, signal)),
};

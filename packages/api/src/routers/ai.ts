import type { TRPCRouterRecord } from "@trpc/server";

import {
  chatSendInput,
  conversationCreateInput,
  conversationRenameInput,
  messagesInput,
  suggestTagsInput,
} from "../schemas/ai";
import { chatService } from "../services/conversations/chat";
import { conversationService } from "../services/conversations/conversations";
import { tagSuggestionService } from "../services/tag-suggestions";
import { protectedProcedure } from "../trpc";
import { idInput, pageInput } from "../validation";

export const aiRouter = {
  /** What the AI features can do with this server's configuration. */
  status: protectedProcedure.query(({ ctx }) => ({
    chat: ctx.chat ? { model: ctx.chat.model } : null,
    imageSearch: ctx.multimodal !== null,
  })),
  conversations: {
    list: protectedProcedure
      .input(pageInput.default({ limit: 20 }))
      .query(({ ctx, input }) => conversationService.list(ctx, ctx.user.uid, input)),
    create: protectedProcedure
      .input(conversationCreateInput)
      .mutation(({ ctx, input }) => conversationService.create(ctx, ctx.user.uid, input)),
    rename: protectedProcedure
      .input(conversationRenameInput)
      .mutation(({ ctx, input }) => conversationService.rename(ctx, ctx.user.uid, input)),
    delete: protectedProcedure
      .input(idInput)
      .mutation(({ ctx, input }) => conversationService.delete(ctx, ctx.user.uid, input.id)),
  } satisfies TRPCRouterRecord,
  /** A conversation's messages, oldest first. */
  messages: protectedProcedure
    .input(messagesInput)
    .query(({ ctx, input }) => conversationService.messages(ctx, ctx.user.uid, input)),
  /**
   * Asks about one's memos; streams `ChatEvent`s (use a streaming link: the typed client does). Without a
   * conversation id, a new conversation is started and titled from the question.
   */
  send: protectedProcedure
    .input(chatSendInput)
    .mutation(({ ctx, input, signal }) => chatService.send(ctx, ctx.user.uid, input, signal)),
  /**
   * Tags for a memo's text, from its nearest memos and the chat model when configured; creates nothing. A
   * mutation only because a memo's text may be longer than a URL holds.
   */
  suggestTags: protectedProcedure
    .input(suggestTagsInput)
    .mutation(({ ctx, input, signal }) => tagSuggestionService.suggest(ctx, ctx.user.uid, input, signal)),
} satisfies TRPCRouterRecord;

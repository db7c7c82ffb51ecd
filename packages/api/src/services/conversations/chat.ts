import type { ChatMessage, ChatModel } from "@aimo/ai";
import type { AiMessage, MessageSource } from "@aimo/db";
import { aiConversations, aiMessages, createId, withTransaction } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { desc, eq } from "drizzle-orm";

import type { ApiDeps } from "../../context";
import type { ChatSendInput } from "../../schemas/ai";
import type { ConversationDto, MessageDto } from "../../dto/conversation";
import { toConversationDto, toMessageDto } from "../../dto/conversation";
import { notFound, toTRPCError } from "../../errors";
import { localDate } from "../memo-queries";
import type { SearchHit } from "../search/search";
import { searchService } from "../search/search";
import { DEFAULT_TITLE, loadOwnedConversation } from "./conversations";

/** What `ai.send` streams: the retrieved sources first, then the answer in pieces, then what was stored. */
export type ChatEvent =
  | { type: "start"; conversationId: string; title: string; sources: MessageSource[] }
  | { type: "delta"; text: string }
  | { type: "done"; conversation: ConversationDto; userMessage: MessageDto; assistantMessage: MessageDto };

/** Memos given to the model as context, and earlier messages it sees. */
const CONTEXT_MEMOS = 5;
const HISTORY_MESSAGES = 10;
/** Long memos and messages are clipped in the prompt so the context stays within a model's window. */
const PROMPT_MEMO_CHARS = 1500;
const PROMPT_MESSAGE_CHARS = 4000;
const EXCERPT_CHARS = 200;
const TITLE_CHARS = 50;
/** What search accepts of a query. */
const SEARCH_QUERY_CHARS = 1000;

/** By code point, so a clip never splits a surrogate pair. */
const clip = (text: string, max: number, ellipsis = "...") => {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join("")}${ellipsis}` : text;
};

/** A conversation's title from its first question: one line, at most 50 characters. */
export const titleFrom = (question: string) => clip(question.replace(/\s+/g, " ").trim(), TITLE_CHARS, "…");

export const sourceOf = (hit: SearchHit): MessageSource => ({
  memoId: hit.memo.id,
  content: clip(hit.memo.content, EXCERPT_CHARS),
  similarity: hit.similarity ?? hit.score,
});

function buildPrompt(ctx: ApiDeps, hits: SearchHit[], history: AiMessage[], question: string): ChatMessage[] {
  const memos = hits.map(
    (hit, i) =>
      `[${i + 1}] (${localDate(ctx.config.timezone, new Date(hit.memo.createdAt))}) ${clip(hit.memo.content, PROMPT_MEMO_CHARS)}`,
  );
  const system = [
    "You are AIMO, an assistant that answers questions with the help of the user's own memos.",
    "Ground your answer in the memos below and cite them by number, like [1]. If they do not answer the question, say so, then help as best you can.",
    "Answer in the language of the question.",
    "",
    memos.length
      ? `The user's memos:\n${memos.join("\n\n")}`
      : "None of the user's memos matches this question.",
  ].join("\n");
  return [
    { role: "system", content: system },
    ...history.map((m) => ({ role: m.role, content: clip(m.content, PROMPT_MESSAGE_CHARS) })),
    { role: "user", content: question },
  ];
}

interface Turn {
  uid: string;
  conversationId: string;
  /** False for a conversation this turn creates. */
  exists: boolean;
  title: string;
  question: string;
  askedAt: Date;
  sources: MessageSource[];
  prompt: ChatMessage[];
}

/** Stores the conversation (new, or touched), the question and the answer together, or nothing. */
async function storeTurn(ctx: ApiDeps, turn: Turn, answer: string) {
  // Strictly after the question, so the two always sort in order.
  const answeredAt = new Date(Math.max(Date.now(), turn.askedAt.getTime() + 1));
  const question = {
    id: createId("message"),
    conversationId: turn.conversationId,
    uid: turn.uid,
    role: "user" as const,
    content: turn.question,
    sources: [],
    createdAt: turn.askedAt,
  };
  const reply = {
    id: createId("message"),
    conversationId: turn.conversationId,
    uid: turn.uid,
    role: "assistant" as const,
    content: answer,
    sources: turn.sources,
    createdAt: answeredAt,
  };
  const conversation = await withTransaction(ctx.db, async (tx) => {
    if (turn.exists) {
      const [result] = await tx
        .update(aiConversations)
        .set({ title: turn.title, updatedAt: answeredAt })
        .where(eq(aiConversations.id, turn.conversationId));
      // Deleted while the answer was streaming.
      if (result.affectedRows === 0) throw notFound("Conversation");
    } else {
      await tx.insert(aiConversations).values({
        id: turn.conversationId,
        uid: turn.uid,
        title: turn.title,
        createdAt: turn.askedAt,
        updatedAt: answeredAt,
      });
    }
    await tx.insert(aiMessages).values([question, reply]);
    return loadOwnedConversation(tx, turn.uid, turn.conversationId);
  });
  return {
    conversation: toConversationDto(conversation),
    userMessage: toMessageDto(question),
    assistantMessage: toMessageDto(reply),
  };
}

async function* streamTurn(
  ctx: ApiDeps,
  chat: ChatModel,
  turn: Turn,
  signal?: AbortSignal,
): AsyncGenerator<ChatEvent> {
  try {
    yield { type: "start", conversationId: turn.conversationId, title: turn.title, sources: turn.sources };
    let answer = "";
    for await (const text of chat.stream(turn.prompt, { signal })) {
      answer += text;
      yield { type: "delta", text };
    }
    if (!answer.trim())
      throw new TRPCError({ code: "BAD_GATEWAY", message: "The chat model answered nothing" });
    yield { type: "done", ...(await storeTurn(ctx, turn, answer)) };
  } catch (error) {
    // Streamed errors bypass the procedure's middleware: map them here.
    throw toTRPCError(error);
  }
}

export const chatService = {
  /**
   * Asks the chat model about the user's memos: retrieves the most relevant ones with hybrid search, streams
   * the answer, and stores question and answer (with its sources) once the answer is complete. A stream cut
   * short stores nothing. Checks happen before streaming starts, so they answer as ordinary errors.
   */
  async send(ctx: ApiDeps, uid: string, input: ChatSendInput, signal?: AbortSignal) {
    const chat = ctx.chat;
    if (!chat) {
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: "AI chat is not configured (set OPENAI_MODEL, and OPENAI_BASE_URL or OPENAI_API_KEY)",
      });
    }
    const existing = input.conversationId
      ? await loadOwnedConversation(ctx.db, uid, input.conversationId)
      : undefined;
    const history = existing
      ? (
          await ctx.db
            .select()
            .from(aiMessages)
            .where(eq(aiMessages.conversationId, existing.id))
            .orderBy(desc(aiMessages.createdAt), desc(aiMessages.id))
            .limit(HISTORY_MESSAGES)
        ).reverse()
      : [];
    const { hits } = await searchService.query(ctx, uid, {
      query: clip(input.content, SEARCH_QUERY_CHARS, ""),
      mode: "hybrid",
      limit: CONTEXT_MEMOS,
    });
    const untitled = !existing || (history.length === 0 && existing.title === DEFAULT_TITLE);
    const turn: Turn = {
      uid,
      conversationId: existing?.id ?? createId("conversation"),
      exists: Boolean(existing),
      title: untitled ? titleFrom(input.content) : existing.title,
      question: input.content,
      askedAt: new Date(),
      sources: hits.map(sourceOf),
      prompt: buildPrompt(ctx, hits, history, input.content),
    };
    return streamTurn(ctx, chat, turn, signal);
  },
};

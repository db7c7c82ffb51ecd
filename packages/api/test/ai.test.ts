import type { ChatModel } from "@aimo/ai";
import { createOpenAiChatModel } from "@aimo/ai";
import { aiConversations, aiMessages } from "@aimo/db";
import type { ChatScript, FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi } from "@aimo/fake-services";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ChatEvent } from "../src";
import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
let openai: FakeOpenAi;
let chat: ChatModel;
/** The next answers of the fake model. */
let script: () => ChatScript = () => ({ pieces: ["You visited ", "Kinkaku-ji ", "[1]."] });

beforeAll(async () => {
  h = await openHarness("api_ai");
  openai = await startFakeOpenAi({ chat: () => script() });
  chat = createOpenAiChatModel({ baseUrl: openai.url, model: "fake-chat", timeoutMs: 5000, retries: 0 });
});
afterAll(async () => {
  await openai.close();
  await h.close();
});

async function userWithChat() {
  const user = await h.user();
  return { ...user, api: h.caller(user.uid, { chat }) };
}

async function events(stream: AsyncIterable<ChatEvent>) {
  const out: ChatEvent[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

const rowsOf = async (uid: string) => ({
  conversations: await h.db.db.select().from(aiConversations).where(eq(aiConversations.uid, uid)),
  messages: await h.db.db.select().from(aiMessages).where(eq(aiMessages.uid, uid)),
});

describe("AI conversations over one's memos", () => {
  it("streams an answer grounded in the most relevant memos and stores both messages with their sources", async () => {
    const { api } = await userWithChat();
    const long = `Kyoto temples trip: Kinkaku-ji glowed gold over the pond. ${"We walked for hours. ".repeat(20)}`;
    const kyoto = await api.memo.create({ content: long });
    await api.memo.create({ content: "Shopping list: milk, eggs, flour" });
    const question = "Which temples did I see in Kyoto?";
    const requestsBefore = openai.chatRequests.length;

    const stream = await api.ai.send({ content: question });
    const all = await events(stream);
    const start = all[0] as Extract<ChatEvent, { type: "start" }>;
    expect(start.type).toBe("start");
    expect(start.title).toBe(question);
    expect(start.sources[0]).toMatchObject({
      memoId: kyoto.id,
      content: `${[...long].slice(0, 200).join("")}...`,
    });
    expect(start.sources[0]!.similarity).toBeGreaterThan(0);
    expect(start.sources.map((s) => s.memoId)).not.toContain(undefined);
    expect(all.filter((e) => e.type === "delta").map((e) => e.text)).toEqual([
      "You visited ",
      "Kinkaku-ji ",
      "[1].",
    ]);
    const done = all.at(-1) as Extract<ChatEvent, { type: "done" }>;
    expect(done).toMatchObject({ type: "done", conversation: { id: start.conversationId, title: question } });

    const sent = openai.chatRequests[requestsBefore]!;
    expect(sent.model).toBe("fake-chat");
    expect(sent.messages[0]!.role).toBe("system");
    expect(sent.messages[0]!.content).toContain("[1]");
    expect(sent.messages[0]!.content).toContain("Kinkaku-ji glowed gold");
    expect(sent.messages.at(-1)).toEqual({ role: "user", content: question });

    const { items } = await api.ai.messages({ conversationId: start.conversationId });
    expect(items.map((m) => [m.role, m.content])).toEqual([
      ["user", question],
      ["assistant", "You visited Kinkaku-ji [1]."],
    ]);
    expect(items[0]!.sources).toEqual([]);
    expect(items[1]!.sources).toEqual(start.sources);
    expect(items).toEqual([done.userMessage, done.assistantMessage]);
    expect((await api.ai.conversations.list()).items).toEqual([done.conversation]);
  });

  it("titles a new conversation from its first question, keeps the title after, and remembers the history", async () => {
    const { api } = await userWithChat();
    const question = `  What   did I write about\n${"gardening and compost ".repeat(5)}?`;
    const first = (await events(await api.ai.send({ content: question })))[0] as Extract<
      ChatEvent,
      { type: "start" }
    >;
    const title = `${"What did I write about gardening and compost gardening".slice(0, 50)}…`;
    expect(first.title).toBe(title);

    const requestsBefore = openai.chatRequests.length;
    const again = await events(
      await api.ai.send({ conversationId: first.conversationId, content: "And tomatoes?" }),
    );
    expect(again.at(-1)).toMatchObject({ type: "done", conversation: { id: first.conversationId, title } });
    expect(openai.chatRequests[requestsBefore]!.messages.slice(1).map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
    ]);
    expect((await api.ai.messages({ conversationId: first.conversationId })).items).toHaveLength(4);

    const untitled = await api.ai.conversations.create();
    expect(untitled.title).toBe("New conversation");
    await events(await api.ai.send({ conversationId: untitled.id, content: "Short question" }));
    const named = await api.ai.conversations.create({ title: "Travel" });
    await events(await api.ai.send({ conversationId: named.id, content: "Where next?" }));
    const titles = (await api.ai.conversations.list()).items.map((c) => c.title);
    expect(titles).toEqual(["Travel", "Short question", title]);
  });

  it("lists, renames and deletes conversations; their messages go with them", async () => {
    const { uid, api } = await userWithChat();
    const a = (await events(await api.ai.send({ content: "first" })))[0] as Extract<
      ChatEvent,
      { type: "start" }
    >;
    const b = await api.ai.conversations.create({ title: "empty" });
    const page = await api.ai.conversations.list({ limit: 1 });
    expect(page.items.map((c) => c.id)).toEqual([b.id]);
    expect(
      (await api.ai.conversations.list({ limit: 1, cursor: page.nextCursor })).items.map((c) => c.id),
    ).toEqual([a.conversationId]);
    expect(await api.ai.conversations.rename({ id: a.conversationId, title: "  Renamed  " })).toMatchObject({
      title: "Renamed",
    });

    expect((await rowsOf(uid)).messages).toHaveLength(2);
    expect(await api.ai.conversations.delete({ id: a.conversationId })).toEqual({ ok: true });
    expect(await rowsOf(uid)).toMatchObject({ conversations: [{ id: b.id }], messages: [] });
    await expectCode(api.ai.messages({ conversationId: a.conversationId }), "NOT_FOUND");
  });

  it("stores nothing when the model fails, and says the fault is upstream", async () => {
    const { uid, api } = await userWithChat();
    script = () => ({ pieces: [], status: 400 });
    try {
      const error = await expectCode(
        events(await api.ai.send({ content: "doomed question" })),
        "BAD_GATEWAY",
      );
      expect(error.message).toContain("HTTP 400");
    } finally {
      script = () => ({ pieces: ["You visited ", "Kinkaku-ji ", "[1]."] });
    }
    expect(await rowsOf(uid)).toEqual({ conversations: [], messages: [] });
  });

  it("answers PRECONDITION_FAILED without a chat model while everything else works", async () => {
    const { api } = await h.user();
    await expectCode(api.ai.send({ content: "anyone there?" }), "PRECONDITION_FAILED");
    expect(await api.ai.status()).toEqual({ chat: null, imageSearch: false });
    const conversation = await api.ai.conversations.create({ title: "Still works" });
    expect((await api.ai.conversations.list()).items).toEqual([conversation]);
    expect((await api.ai.messages({ conversationId: conversation.id })).items).toEqual([]);
    expect(await (await userWithChat()).api.ai.status()).toEqual({
      chat: { model: "fake-chat" },
      imageSearch: false,
    });
  });

  it("answers NOT_FOUND for another user's conversations and leaves them unchanged", async () => {
    const owner = await userWithChat();
    const stranger = await userWithChat();
    const start = (await events(await owner.api.ai.send({ content: "secret plans" })))[0] as Extract<
      ChatEvent,
      { type: "start" }
    >;
    const before = await rowsOf(owner.uid);
    const s = stranger.api;
    await expectCode(s.ai.messages({ conversationId: start.conversationId }), "NOT_FOUND");
    await expectCode(s.ai.conversations.rename({ id: start.conversationId, title: "pwned" }), "NOT_FOUND");
    await expectCode(s.ai.conversations.delete({ id: start.conversationId }), "NOT_FOUND");
    await expectCode(s.ai.send({ conversationId: start.conversationId, content: "hi" }), "NOT_FOUND");
    expect((await s.ai.conversations.list()).items).toEqual([]);
    expect(await rowsOf(owner.uid)).toEqual(before);
  });

  it("answers BAD_REQUEST with field errors to malformed input", async () => {
    const { api } = await userWithChat();
    const own = await api.ai.conversations.create();
    const bad = [
      api.ai.send({ content: "   " }),
      api.ai.send({ content: "x".repeat(8001) }),
      api.ai.send({ content: "hi", conversationId: "" }),
      api.ai.send({ content: "hi", model: "gpt-5" } as unknown as { content: string }),
      api.ai.conversations.create({ title: "x".repeat(256) }),
      api.ai.conversations.rename({ id: "conv1", title: "" }),
      api.ai.conversations.list({ limit: 101 }),
      api.ai.messages({ conversationId: "conv1", limit: 0 }),
      api.ai.messages({ conversationId: own.id, cursor: "garbage" }),
    ];
    for (const call of bad) await expectCode(call, "BAD_REQUEST");
  });
});

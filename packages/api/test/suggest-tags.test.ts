import type { ChatModel } from "@aimo/ai";
import { createOpenAiChatModel, createOpenAiEmbedder } from "@aimo/ai";
import { tags } from "@aimo/db";
import type { ChatScript, FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi } from "@aimo/fake-services";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
let openai: FakeOpenAi;
let chat: ChatModel;
/** The fake model's next answer. */
let script: () => ChatScript = () => ({ pieces: ["[]"] });

beforeAll(async () => {
  openai = await startFakeOpenAi({
    chat: () => script(),
    concepts: [
      ["kyoto", "temples", "kinkaku", "ginkaku"],
      ["bread", "sourdough", "flour"],
    ],
  });
  h = await openHarness("api_suggest_tags", {
    embedder: (dimensions) =>
      createOpenAiEmbedder({
        baseUrl: openai.url,
        model: "concepts",
        dimensions,
        batchSize: 32,
        timeoutMs: 5000,
        retries: 0,
      }),
  });
  chat = createOpenAiChatModel({ baseUrl: openai.url, model: "fake-chat", timeoutMs: 5000, retries: 0 });
});
afterAll(async () => {
  await openai.close();
  await h.close();
});

const tagRowsOf = (uid: string) => h.db.db.select().from(tags).where(eq(tags.uid, uid));

/** A user whose memos about Kyoto carry "travel" (twice) and "japan", and a bread memo "cooking". */
async function userWithTaggedMemos() {
  const user = await h.user();
  await user.api.memo.create({
    content: "Kyoto temples trip: Kinkaku-ji glowed gold over the pond",
    tagNames: ["travel", "japan"],
  });
  await user.api.memo.create({
    content: "Kyoto temples again: Ginkaku-ji and its moss garden",
    tagNames: ["travel"],
  });
  await user.api.memo.create({
    content: "Sourdough bread: flour, water, salt and a lazy starter",
    tagNames: ["cooking"],
  });
  return user;
}

describe("ai.suggestTags", () => {
  it("ranks the tags of the nearest memos by their similarity, and creates nothing", async () => {
    const { uid, api } = await userWithTaggedMemos();
    const before = await tagRowsOf(uid);
    const { tags: suggested, degraded } = await api.ai.suggestTags({
      content: "Temples of Kyoto: Kinkaku-ji at dawn",
    });
    expect(degraded).toBe(false);
    expect(suggested.map((t) => t.name).slice(0, 2)).toEqual(["travel", "japan"]);
    expect(suggested.map((t) => t.name)).not.toContain("cooking");
    const travel = before.find((t) => t.name === "travel")!;
    expect(suggested[0]).toMatchObject({ tagId: travel.id, from: ["similar"] });
    expect(suggested[0]!.score).toBeGreaterThan(suggested[1]!.score);
    expect(await tagRowsOf(uid)).toEqual(before);
    expect((await api.ai.suggestTags({ content: "Temples of Kyoto", limit: 1 })).tags).toHaveLength(1);
  });

  it("adds the chat model's picks, marking names that are no tag yet, and still creates nothing", async () => {
    const { uid } = await userWithTaggedMemos();
    const api = h.caller(uid, { chat });
    const before = await tagRowsOf(uid);
    const requests = openai.chatRequests.length;
    script = () => ({ pieces: ['Here: ["Temples", ', '"travel", "#Japan", "", "temples"]'] });
    const { tags: suggested, degraded } = await api.ai.suggestTags({
      content: "Temples of Kyoto: Kinkaku-ji",
    });
    expect(degraded).toBe(false);
    const byName = new Map(suggested.map((t) => [t.name, t]));
    expect(byName.get("travel")).toMatchObject({ from: ["similar", "model"] });
    expect(byName.get("japan")).toMatchObject({ tagId: before.find((t) => t.name === "japan")!.id });
    expect(byName.get("japan")!.from).toEqual(["similar", "model"]);
    expect(byName.get("Temples")).toEqual({ name: "Temples", score: 1, from: ["model"] });
    expect(suggested[0]!.name).toBe("travel");
    expect(suggested.filter((t) => t.name.toLowerCase() === "temples")).toHaveLength(1);
    expect(await tagRowsOf(uid)).toEqual(before);

    const sent = openai.chatRequests[requests]!;
    expect(sent.model).toBe("fake-chat");
    expect(sent.messages[0]!.content).toContain('"travel"');
    expect(sent.messages[1]).toEqual({ role: "user", content: "Temples of Kyoto: Kinkaku-ji" });
  });

  it("reads a plain comma list from the model too", async () => {
    const { uid } = await h.user();
    script = () => ({ pieces: ["gardens, moss\n- zen"] });
    const { tags: suggested } = await h.caller(uid, { chat }).ai.suggestTags({ content: "A moss garden" });
    expect(suggested.map((t) => t.name)).toEqual(["gardens", "moss", "zen"]);
    expect(suggested.every((t) => t.tagId === undefined)).toBe(true);
  });

  it("answers the neighbours' tags, marked degraded, when the model fails", async () => {
    const { uid } = await userWithTaggedMemos();
    script = () => ({ pieces: [], status: 500 });
    const { tags: suggested, degraded } = await h.caller(uid, { chat }).ai.suggestTags({
      content: "Temples of Kyoto",
    });
    expect(degraded).toBe(true);
    expect(suggested[0]).toMatchObject({ name: "travel", from: ["similar"] });
  });

  it("answers the model's picks, marked degraded, when vector search fails", async () => {
    const { uid } = await userWithTaggedMemos();
    script = () => ({ pieces: ['["travel"]'] });
    const vectors = await h.unavailableVectors();
    const { tags: suggested, degraded } = await h
      .caller(uid, { chat, vectors })
      .ai.suggestTags({ content: "Temples of Kyoto" });
    expect(degraded).toBe(true);
    expect(suggested).toEqual([expect.objectContaining({ name: "travel", from: ["model"] })]);
    expect(suggested[0]!.tagId).toBeDefined();
  });

  it("never suggests another user's tags", async () => {
    const other = await h.user();
    await other.api.memo.create({ content: "Kyoto temples, Kinkaku-ji", tagNames: ["secret-of-other"] });
    const { api } = await userWithTaggedMemos();
    const { tags: suggested } = await api.ai.suggestTags({ content: "Kyoto temples, Kinkaku-ji" });
    expect(suggested.map((t) => t.name)).not.toContain("secret-of-other");
    const stranger = await h.user();
    expect((await stranger.api.ai.suggestTags({ content: "Kyoto temples, Kinkaku-ji" })).tags).toEqual([]);
  });

  it("answers BAD_REQUEST to empty text, bad limits and unknown fields, and UNAUTHORIZED without a user", async () => {
    const { api } = await h.user();
    await expectCode(api.ai.suggestTags({ content: "   " }), "BAD_REQUEST");
    await expectCode(api.ai.suggestTags({ content: "x", limit: 0 }), "BAD_REQUEST");
    await expectCode(api.ai.suggestTags({ content: "x", limit: 21 }), "BAD_REQUEST");
    // @ts-expect-error: an unknown field
    await expectCode(api.ai.suggestTags({ content: "x", create: true }), "BAD_REQUEST");
    await expectCode(h.caller(null).ai.suggestTags({ content: "x" }), "UNAUTHORIZED");
  });
});

import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";

import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_validation");
});
afterAll(async () => {
  await h.close();
});

const long = (n: number) => "x".repeat(n);

describe("bad input answers BAD_REQUEST with the field errors, and writes nothing", () => {
  it("covers every procedure that takes input", async () => {
    const { api } = await h.user();
    const anonymous = h.caller(null);
    const cases: [string, () => Promise<unknown>][] = [
      [
        "auth.register bad email",
        () => anonymous.auth.register({ email: "not-an-email", password: "long enough" }),
      ],
      [
        "auth.register short password",
        () => anonymous.auth.register({ email: "a@b.test", password: "short" }),
      ],
      [
        "auth.register unknown field",
        () => anonymous.auth.register({ email: "a@b.test", password: "long enough", admin: true } as never),
      ],
      ["auth.login wrong type", () => anonymous.auth.login({ email: 42, password: "x" } as never)],
      [
        "auth.changePassword too long",
        () => api.auth.changePassword({ currentPassword: "x", newPassword: long(200) }),
      ],
      ["auth.createToken empty name", () => api.auth.createToken({ name: "" })],
      ["auth.revokeToken wrong type", () => api.auth.revokeToken({ id: 5 } as never)],
      ["user.update long nickname", () => api.user.update({ nickname: long(65) })],
      ["category.create long name", () => api.category.create({ name: long(65) })],
      ["category.create bad colour", () => api.category.create({ name: "c", color: "red" })],
      ["category.update unknown field", () => api.category.update({ id: "c", owner: "me" } as never)],
      ["category.delete missing id", () => api.category.delete({} as never)],
      ["tag.create blank name", () => api.tag.create({ name: "   " })],
      ["tag.update long id", () => api.tag.update({ id: long(192), name: "t" })],
      ["tag.delete wrong type", () => api.tag.delete({ id: null } as never)],
      ["memo.create content over 1 MB", () => api.memo.create({ content: "😀".repeat(262_145) })],
      ["memo.create bad type", () => api.memo.create({ content: "x", type: "image" } as never)],
      ["memo.create bad source", () => api.memo.create({ content: "x", source: "not a url" })],
      [
        "memo.create too many tags",
        () => api.memo.create({ content: "x", tagNames: Array.from({ length: 51 }, (_, i) => `t${i}`) }),
      ],
      ["memo.create negative time", () => api.memo.create({ content: "x", createdAt: -5 })],
      ["memo.update unknown field", () => api.memo.update({ id: "m", uid: "other" } as never)],
      ["memo.get wrong type", () => api.memo.get({ id: ["m"] } as never)],
      ["memo.delete missing id", () => api.memo.delete({} as never)],
      ["memo.list huge page", () => api.memo.list({ limit: 10_000 })],
      ["memo.list bad order", () => api.memo.list({ order: "random" } as never)],
      ["memo.onThisDay bad date", () => api.memo.onThisDay({ date: "2025-13-45", limit: 5 })],
      ["memo.activity bad date", () => api.memo.activity({ from: "yesterday", to: "today" })],
      ["memo.getPublic wrong type", () => anonymous.memo.getPublic({ id: 1 } as never)],
      ["relation.link missing target", () => api.relation.link({ sourceMemoId: "a" } as never)],
      [
        "relation.unlink unknown field",
        () => api.relation.unlink({ sourceMemoId: "a", targetMemoId: "b", x: 1 } as never),
      ],
      ["relation.outgoing long id", () => api.relation.outgoing({ memoId: long(300) })],
      ["relation.backlinks wrong type", () => api.relation.backlinks({ memoId: {} } as never)],
      ["search.query empty", () => api.search.query({ query: "" })],
      ["search.query huge page", () => api.search.query({ query: "x", limit: 500 })],
      ["search.query bad mode", () => api.search.query({ query: "x", mode: "magic" } as never)],
      ["search.query minSimilarity above 1", () => api.search.query({ query: "x", minSimilarity: 2 })],
      ["search.query minScore above 1", () => api.search.query({ query: "x", minScore: 2 })],
      ["search.related huge page", () => api.search.related({ memoId: "m", limit: 1000 })],
    ];
    for (const [name, call] of cases) {
      const error = await expectCode(call(), "BAD_REQUEST").catch((e: unknown) => {
        throw new Error(`${name}: ${String(e)}`);
      });
      expect(error, name).toBeInstanceOf(TRPCError);
    }
    expect((await api.memo.list()).items).toEqual([]);
    expect((await api.tag.list()).map((t) => t.name)).toEqual([]);
  });
});

describe("bad input that answered 500 or was silently altered", () => {
  const cursor = (json: string) => Buffer.from(json).toString("base64url");
  const outOfRange = ['[1e20,"x"]', '[1e400,"x"]', '[-1e20,"x"]', '[8640000000000001,"x"]', '[1.5,"x"]'];

  it("refuses cursors whose time is out of range in every paged list", async () => {
    const { api } = await h.user();
    const conversation = await api.ai.conversations.create();
    for (const json of outOfRange) {
      const text = cursor(json);
      await expectCode(api.memo.list({ cursor: text }), "BAD_REQUEST");
      await expectCode(api.attachment.list({ cursor: text }), "BAD_REQUEST");
      await expectCode(api.ai.conversations.list({ cursor: text }), "BAD_REQUEST");
      await expectCode(api.ai.messages({ conversationId: conversation.id, cursor: text }), "BAD_REQUEST");
    }
  });

  it("treats an update with only an id as a no-op that answers the entity unchanged", async () => {
    const { api } = await h.user();
    const category = await api.category.create({ name: "kept", color: "#abc" });
    const tag = await api.tag.create({ name: "kept", color: "#def" });
    const rule = await api.pushRule.create({
      name: "kept",
      pushTime: 7,
      contentType: "daily_pick",
      channels: [{ type: "meow", nickname: "me" }],
    });
    expect(await api.category.update({ id: category.id })).toMatchObject({ name: "kept", color: "#abc" });
    expect(await api.tag.update({ id: tag.id })).toEqual(tag);
    expect(await api.pushRule.update({ id: rule.id })).toEqual(rule);
    // Still the owner's alone: a stranger's no-op is NOT_FOUND.
    const stranger = await h.user();
    await expectCode(stranger.api.category.update({ id: category.id }), "NOT_FOUND");
    await expectCode(stranger.api.tag.update({ id: tag.id }), "NOT_FOUND");
    await expectCode(stranger.api.pushRule.update({ id: rule.id }), "NOT_FOUND");
  });

  it("refuses lone surrogates anywhere instead of storing U+FFFD, so distinct names cannot collide", async () => {
    const { api } = await h.user();
    const calls = [
      () => api.tag.create({ name: "z\ud800" }),
      () => api.tag.create({ name: "z\ud801" }),
      () => api.category.create({ name: "\udc00c" }),
      () => api.memo.create({ content: "text \ud800" }),
      () => api.memo.create({ content: "ok", tagNames: ["\ud800"] }),
      () => api.memo.list({ keyword: "\udfff" }),
      () =>
        api.pushRule.create({
          name: "r\ud800",
          pushTime: 1,
          contentType: "daily_pick",
          channels: [{ type: "meow", nickname: "me" }],
        }),
      () => api.memo.update({ id: "m", ["k\ud800"]: 1 } as never),
    ];
    for (const call of calls) {
      const error = await expectCode(call(), "BAD_REQUEST");
      expect(error.message).toMatch(/lone surrogate/);
    }
    const tagged = await expectCode(
      api.memo.create({ content: "ok", tagNames: ["a", "b\udbff"] }),
      "BAD_REQUEST",
    );
    expect((tagged.cause as ZodError).issues.map((i) => i.path)).toEqual([["tagNames", 1]]);
    // Nesting deep enough to overflow a recursive walk is still a plain 400.
    let deep: unknown = "\ud800";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    await expectCode(api.memo.create({ content: deep } as never), "BAD_REQUEST");
    expect(await api.tag.list()).toEqual([]);
    expect((await api.category.list()).map((c) => c.name)).toEqual(["Inbox"]);
    expect((await api.memo.list()).items).toEqual([]);
    // A surrogate pair is one character and stays as written.
    const memo = await api.memo.create({ content: "pair \ud83d\ude00", tagNames: ["\ud840\udc00"] });
    expect(memo.content).toBe("pair 😀");
    expect(memo.tags.map((t) => t.name)).toEqual(["𠀀"]);
  });

  it("refuses memos with no text and no attachment, on create and on update", async () => {
    const { api } = await h.user();
    for (const content of ["", "   ", "\n\t ", "\u3000"]) {
      await expectCode(api.memo.create({ content }), "BAD_REQUEST");
    }
    const memo = await api.memo.create({ content: "words" });
    await expectCode(api.memo.update({ id: memo.id, content: "  " }), "BAD_REQUEST");
    expect((await api.memo.get({ id: memo.id })).content).toBe("words");
    expect((await api.memo.list()).items.map((m) => m.content)).toEqual(["words"]);
  });

  it("takes times up to the last millisecond TIMESTAMP(3) holds and refuses the next one", async () => {
    const { api } = await h.user();
    const last = Date.UTC(2038, 0, 19, 3, 14, 7, 999);
    const memo = await api.memo.create({ content: "late", createdAt: last, updatedAt: last });
    expect([memo.createdAt, memo.updatedAt]).toEqual([last, last]);
    await expectCode(api.memo.create({ content: "later", createdAt: last + 1 }), "BAD_REQUEST");
    await expectCode(api.memo.update({ id: memo.id, updatedAt: last + 1 }), "BAD_REQUEST");
  });
});

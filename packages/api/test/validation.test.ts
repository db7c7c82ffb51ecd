import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

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

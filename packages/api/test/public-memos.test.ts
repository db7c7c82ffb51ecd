import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_public_memos");
});
afterAll(async () => {
  await h.close();
});

/** A user with three public memos (oldest first) and a private one. */
async function userWithPublicMemos() {
  const user = await h.user();
  const base = Date.UTC(2024, 0, 1);
  const publicIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const memo = await user.api.memo.create({
      content: `public ${i}`,
      isPublic: true,
      createdAt: base + i * 1000,
    });
    publicIds.push(memo.id);
  }
  const secret = await user.api.memo.create({ content: "private", createdAt: base + 10_000 });
  return { ...user, publicIds, secretId: secret.id };
}

describe("public memos without a token", () => {
  it("lists a user's public memos newest first, page by page, never a private one", async () => {
    const { uid, publicIds } = await userWithPublicMemos();
    const anyone = h.caller(null);
    const first = await anyone.memo.listPublic({ uid, limit: 2 });
    expect(first.items.map((m) => m.id)).toEqual([publicIds[2], publicIds[1]]);
    expect(first.items.every((m) => m.isPublic)).toBe(true);
    const second = await anyone.memo.listPublic({ uid, limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ items: [expect.objectContaining({ id: publicIds[0], content: "public 0" })] });
    expect((await anyone.memo.listPublic({ uid })).items).toHaveLength(3);
  });

  it("answers an empty list for a user without public memos or an unknown user", async () => {
    const { uid } = await h.user();
    expect(await h.caller(null).memo.listPublic({ uid })).toEqual({ items: [] });
    expect(await h.caller(null).memo.listPublic({ uid: "no-such-user" })).toEqual({ items: [] });
  });

  it("picks a random public memo of a user, each in turn, never a private one", async () => {
    const { uid, publicIds, secretId } = await userWithPublicMemos();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await h.caller(null).memo.randomPublic({ uid })).id);
    expect([...seen].sort()).toEqual([...publicIds].sort());
    expect(seen.has(secretId)).toBe(false);
    const anyones = await h.caller(null).memo.randomPublic();
    expect(anyones.isPublic).toBe(true);
  });

  it("answers NOT_FOUND for a random memo of a user who has no public one", async () => {
    const { api, uid } = await h.user();
    await api.memo.create({ content: "only private" });
    await expectCode(h.caller(null).memo.randomPublic({ uid }), "NOT_FOUND");
  });

  it("answers BAD_REQUEST to malformed input", async () => {
    const anyone = h.caller(null);
    await expectCode(anyone.memo.listPublic({ uid: "" }), "BAD_REQUEST");
    await expectCode(anyone.memo.listPublic({ uid: "u", limit: 0 }), "BAD_REQUEST");
    await expectCode(anyone.memo.listPublic({ uid: "u", cursor: "not-a-cursor" }), "BAD_REQUEST");
    // @ts-expect-error: the list is by user
    await expectCode(anyone.memo.listPublic({}), "BAD_REQUEST");
    // @ts-expect-error: an unknown field
    await expectCode(anyone.memo.randomPublic({ uid: "u", isPublic: false }), "BAD_REQUEST");
  });
});

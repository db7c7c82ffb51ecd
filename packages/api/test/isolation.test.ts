import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_isolation");
});
afterAll(async () => {
  await h.close();
});

describe("another user's objects answer NOT_FOUND and stay unchanged", () => {
  it("covers every router", async () => {
    const owner = await h.user();
    const stranger = await h.user();
    const category = await owner.api.category.create({ name: "Private" });
    const tag = await owner.api.tag.create({ name: "mine" });
    const target = await owner.api.memo.create({ content: "target" });
    const memo = await owner.api.memo.create({
      content: "owner's secret",
      categoryId: category.id,
      tagIds: [tag.id],
      linkedMemoIds: [target.id],
    });
    const { info: token } = await owner.api.auth.createToken({ name: "cli" });
    const s = stranger.api;
    const before = JSON.stringify([
      await owner.api.memo.get({ id: memo.id }),
      await owner.api.category.list(),
      await owner.api.tag.list(),
    ]);

    await expectCode(s.memo.get({ id: memo.id }), "NOT_FOUND");
    await expectCode(s.memo.update({ id: memo.id, content: "pwned" }), "NOT_FOUND");
    await expectCode(s.memo.delete({ id: memo.id }), "NOT_FOUND");
    await expectCode(s.category.update({ id: category.id, name: "pwned" }), "NOT_FOUND");
    await expectCode(s.category.delete({ id: category.id }), "NOT_FOUND");
    await expectCode(s.tag.update({ id: tag.id, name: "pwned" }), "NOT_FOUND");
    await expectCode(s.tag.delete({ id: tag.id }), "NOT_FOUND");
    await expectCode(s.relation.link({ sourceMemoId: memo.id, targetMemoId: target.id }), "NOT_FOUND");
    await expectCode(s.relation.unlink({ sourceMemoId: memo.id, targetMemoId: target.id }), "NOT_FOUND");
    await expectCode(s.relation.outgoing({ memoId: memo.id }), "NOT_FOUND");
    await expectCode(s.relation.backlinks({ memoId: target.id }), "NOT_FOUND");
    await expectCode(s.search.related({ memoId: memo.id }), "NOT_FOUND");
    await expectCode(s.auth.revokeToken({ id: token.id }), "NOT_FOUND");
    // Using the owner's ids inside the stranger's own writes is refused too.
    const own = await s.memo.create({ content: "stranger's memo" });
    await expectCode(s.memo.create({ content: "x", categoryId: category.id }), "NOT_FOUND");
    await expectCode(s.memo.create({ content: "x", tagIds: [tag.id] }), "NOT_FOUND");
    await expectCode(s.memo.update({ id: own.id, linkedMemoIds: [memo.id] }), "NOT_FOUND");
    await expectCode(s.relation.link({ sourceMemoId: own.id, targetMemoId: memo.id }), "NOT_FOUND");
    await expectCode(s.memo.create({ content: "x", attachmentIds: ["not-theirs"] }), "NOT_FOUND");

    // Nothing of the owner's shows up in the stranger's lists, search or graph, nor in the public ones.
    expect((await s.memo.listPublic({ uid: owner.uid })).items).toEqual([]);
    await expectCode(s.memo.randomPublic({ uid: owner.uid }), "NOT_FOUND");
    expect((await s.memo.list()).items.map((m) => m.id)).toEqual([own.id]);
    expect((await s.search.query({ query: "owner's secret" })).hits.map((hit) => hit.memo.id)).not.toContain(
      memo.id,
    );
    expect((await s.tag.list()).map((t) => t.id)).not.toContain(tag.id);
    expect((await s.category.list()).map((c) => c.id)).not.toContain(category.id);
    expect((await s.relation.graph()).nodes).toEqual([]);
    expect(await s.auth.listTokens()).toEqual([]);

    const after = JSON.stringify([
      await owner.api.memo.get({ id: memo.id }),
      await owner.api.category.list(),
      await owner.api.tag.list(),
    ]);
    expect(after).toBe(before);
  });
});

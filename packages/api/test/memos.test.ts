import { memos, vectorJobs } from "@aimo/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_memos");
});
afterAll(async () => {
  await h.close();
});

describe("memos", () => {
  it("creates, reads, updates and deletes a memo, content kept byte for byte", async () => {
    const { api } = await h.user();
    const content = "  Tab\there\r\nemoji 😀 and 𠀀 CJK Ext B  ";
    const created = await api.memo.create({
      content,
      type: "audio",
      source: "https://example.test/a",
      isPublic: true,
    });
    expect(created).toMatchObject({
      content,
      type: "audio",
      source: "https://example.test/a",
      isPublic: true,
      tags: [],
      attachmentIds: [],
    });
    expect(created.indexState).toEqual({ status: "indexed" });
    expect(created.categoryId).toBeUndefined();
    const updated = await api.memo.update({ id: created.id, content: "new text", source: null });
    expect(updated.content).toBe("new text");
    expect(updated).not.toHaveProperty("source");
    expect(updated.updatedAt).toBeGreaterThanOrEqual(created.updatedAt);
    await api.memo.delete({ id: created.id });
    await expectCode(api.memo.get({ id: created.id }), "NOT_FOUND");
    expect(await h.vectors.memos.get([created.id])).toEqual([]);
  });

  it("answers the same memo, every field set, from every read path", async () => {
    const { api } = await h.user();
    const category = await api.category.create({ name: "Reading" });
    const other = await api.memo.create({ content: "linked" });
    const created = await api.memo.create({
      content: "every field 😀 漢字",
      type: "video",
      source: "https://example.test/every",
      categoryId: category.id,
      tagNames: ["zeta", "alpha"],
      isPublic: true,
      linkedMemoIds: [other.id],
      createdAt: Date.UTC(2020, 1, 29, 23, 59, 59, 999),
      updatedAt: Date.UTC(2021, 6, 1, 0, 0, 0, 1),
    });
    const { linkedMemoIds, indexState, ...listed } = created;
    expect(linkedMemoIds).toEqual([other.id]);
    expect(indexState).toEqual({ status: "indexed" });
    expect(listed).toMatchObject({
      type: "video",
      source: "https://example.test/every",
      categoryId: category.id,
      isPublic: true,
      attachmentIds: [],
      createdAt: Date.UTC(2020, 1, 29, 23, 59, 59, 999),
      updatedAt: Date.UTC(2021, 6, 1, 0, 0, 0, 1),
    });
    expect(listed.tags.map((t) => t.name)).toEqual(["zeta", "alpha"]);

    expect(await api.memo.get({ id: created.id })).toEqual(created);
    expect((await api.memo.list({ limit: 5, order: "oldest" })).items[0]).toEqual(listed);
    expect((await api.memo.list({ limit: 1, categoryId: category.id })).items).toEqual([listed]);
    expect(await h.caller(null).memo.getPublic({ id: created.id })).toEqual(listed);
    expect((await api.memo.onThisDay({ date: "2024-02-29", limit: 5 }))[0]).toEqual(listed);
    const { hits } = await api.search.query({ query: "漢字", mode: "keyword" });
    expect(hits.map((hit) => hit.memo)).toEqual([listed]);
    expect(await api.relation.backlinks({ memoId: other.id })).toEqual([listed]);
  });

  it("keeps client-supplied times for imports and refuses times MySQL cannot hold", async () => {
    const { api } = await h.user();
    const memo = await api.memo.create({
      content: "imported",
      createdAt: Date.UTC(2015, 4, 6, 7, 8, 9, 123),
      updatedAt: Date.UTC(2016, 0, 1),
    });
    expect(memo.createdAt).toBe(Date.UTC(2015, 4, 6, 7, 8, 9, 123));
    expect(memo.updatedAt).toBe(Date.UTC(2016, 0, 1));
    await expectCode(api.memo.create({ content: "x", createdAt: Date.UTC(2040, 0, 1) }), "BAD_REQUEST");
  });

  it("keeps tag usage counts exact through creates, updates, memo deletes and tag deletes", async () => {
    const { api } = await h.user();
    const work = await api.tag.create({ name: "work" });
    const a = await api.memo.create({ content: "a", tagIds: [work.id], tagNames: ["Ideas", "ideas"] });
    expect(a.tags.map((t) => t.name)).toEqual(["work", "Ideas"]);
    const b = await api.memo.create({ content: "b", tagNames: ["WORK", "fresh"] });
    expect(b.tags.map((t) => t.id)).toContain(work.id);
    const counts = async () => Object.fromEntries((await api.tag.list()).map((t) => [t.name, t.usageCount]));
    expect(await counts()).toEqual({ work: 2, Ideas: 1, fresh: 1 });
    expect((await api.tag.list())[0]!.name).toBe("work");
    await api.memo.update({ id: a.id, tagIds: [] });
    expect(await counts()).toEqual({ work: 1, Ideas: 0, fresh: 1 });
    await api.memo.delete({ id: b.id });
    expect(await counts()).toEqual({ work: 0, Ideas: 0, fresh: 0 });
    const c = await api.memo.create({ content: "c", tagIds: [work.id] });
    await api.tag.delete({ id: work.id });
    expect((await api.memo.get({ id: c.id })).tags).toEqual([]);
    await expectCode(api.tag.create({ name: "FRESH" }), "CONFLICT");
  });

  it("makes a deleted category's memos uncategorised, and refuses duplicate names case-insensitively", async () => {
    const { api } = await h.user();
    const categories = await api.category.list();
    expect(categories.map((c) => c.name)).toEqual(["Inbox"]);
    const travel = await api.category.create({ name: "Travel", color: "#00aaff" });
    await expectCode(api.category.create({ name: "travel" }), "CONFLICT");
    const memo = await api.memo.create({ content: "trip", categoryId: travel.id });
    expect((await api.category.list()).find((c) => c.id === travel.id)?.memoCount).toBe(1);
    await api.category.delete({ id: travel.id });
    expect((await api.memo.get({ id: memo.id })).categoryId).toBeUndefined();
    await expectCode(api.category.delete({ id: travel.id }), "NOT_FOUND");
  });

  it("lists with every filter and pages with a cursor in both orders", async () => {
    const { api } = await h.user();
    const [cat] = await api.category.list();
    const tag = await api.tag.create({ name: "t" });
    const base = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 25; i++) {
      await api.memo.create({
        content: i % 5 === 0 ? `needle 100%_done ${i}` : `memo ${i}`,
        createdAt: base + i * 86_400_000,
        categoryId: i % 2 === 0 ? cat!.id : undefined,
        tagIds: i % 3 === 0 ? [tag.id] : [],
        isPublic: i % 4 === 0,
      });
    }
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.memo.list({ limit: 7, cursor });
      all.push(...page.items.map((m) => m.content));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toHaveLength(25);
    expect(all[0]).toBe("memo 24");
    const oldest = await api.memo.list({ limit: 3, order: "oldest" });
    expect(oldest.items.map((m) => m.content)).toEqual(["needle 100%_done 0", "memo 1", "memo 2"]);
    const second = await api.memo.list({ limit: 3, order: "oldest", cursor: oldest.nextCursor });
    expect(second.items[0]!.content).toBe("memo 3");
    expect((await api.memo.list({ categoryId: cat!.id, limit: 100 })).items).toHaveLength(13);
    expect((await api.memo.list({ categoryId: "uncategorized", limit: 100 })).items).toHaveLength(12);
    expect((await api.memo.list({ tagId: tag.id, limit: 100 })).items).toHaveLength(9);
    expect((await api.memo.list({ isPublic: true, limit: 100 })).items).toHaveLength(7);
    expect((await api.memo.list({ keyword: "100%_", limit: 100 })).items).toHaveLength(5);
    expect((await api.memo.list({ keyword: "%", limit: 100 })).items).toHaveLength(5);
    const ranged = await api.memo.list({
      from: base + 10 * 86_400_000,
      to: base + 12 * 86_400_000,
      limit: 100,
    });
    expect(ranged.items.map((m) => m.content)).toEqual(["memo 12", "memo 11", "needle 100%_done 10"]);
    await expectCode(api.memo.list({ cursor: "garbage" }), "BAD_REQUEST");
  });

  it("finds memos on this day in earlier years and counts activity per day", async () => {
    const { api } = await h.user();
    await api.memo.create({ content: "2020", createdAt: Date.UTC(2020, 5, 15, 10) });
    await api.memo.create({ content: "2021", createdAt: Date.UTC(2021, 5, 15, 23) });
    await api.memo.create({ content: "other day", createdAt: Date.UTC(2021, 5, 16, 1) });
    await api.memo.create({ content: "same year", createdAt: Date.UTC(2025, 5, 15, 1) });
    const onThisDay = await api.memo.onThisDay({ date: "2025-06-15", limit: 10 });
    expect(onThisDay.map((m) => m.content)).toEqual(["2021", "2020"]);
    expect(await api.memo.activity({ from: "2021-06-14", to: "2021-06-16" })).toEqual([
      { date: "2021-06-15", count: 1 },
      { date: "2021-06-16", count: 1 },
    ]);
    // In Shanghai (UTC+8) the 23:00 UTC memo is written on the 16th.
    const shanghai = h.caller((await api.auth.me()).uid, {
      config: { ...h.deps.config, timezone: "Asia/Shanghai" },
    });
    expect(await shanghai.memo.activity({ from: "2021-06-14", to: "2021-06-16" })).toEqual([
      { date: "2021-06-16", count: 2 },
    ]);
    await expectCode(api.memo.activity({ from: "2020-01-01", to: "2022-01-01" }), "BAD_REQUEST");
  });

  it("serves public memos without a token, and only those", async () => {
    const { api } = await h.user();
    const open = await api.memo.create({ content: "hello world", isPublic: true });
    const closed = await api.memo.create({ content: "secret" });
    const anonymous = h.caller(null);
    expect((await anonymous.memo.getPublic({ id: open.id })).content).toBe("hello world");
    await expectCode(anonymous.memo.getPublic({ id: closed.id }), "NOT_FOUND");
    await expectCode(anonymous.memo.get({ id: open.id }), "UNAUTHORIZED");
  });

  it("keeps links: replaced on update, no self-links, backlinks, graph, and gone with the memo", async () => {
    const { api } = await h.user();
    const a = await api.memo.create({ content: "a" });
    const b = await api.memo.create({ content: "b" });
    const c = await api.memo.create({ content: "c", linkedMemoIds: [a.id, b.id] });
    expect((await api.memo.get({ id: c.id })).linkedMemoIds?.sort()).toEqual([a.id, b.id].sort());
    await api.memo.update({ id: c.id, linkedMemoIds: [b.id] });
    expect((await api.relation.outgoing({ memoId: c.id })).map((m) => m.id)).toEqual([b.id]);
    await api.relation.link({ sourceMemoId: a.id, targetMemoId: b.id });
    await expectCode(api.relation.link({ sourceMemoId: a.id, targetMemoId: b.id }), "CONFLICT");
    await expectCode(api.relation.link({ sourceMemoId: a.id, targetMemoId: a.id }), "BAD_REQUEST");
    await expectCode(api.memo.update({ id: a.id, linkedMemoIds: [a.id] }), "BAD_REQUEST");
    expect((await api.relation.backlinks({ memoId: b.id })).map((m) => m.id).sort()).toEqual(
      [a.id, c.id].sort(),
    );
    const graph = await api.relation.graph();
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(graph.edges).toHaveLength(2);
    await api.memo.delete({ id: b.id });
    expect(await api.relation.outgoing({ memoId: c.id })).toEqual([]);
    await expectCode(api.relation.unlink({ sourceMemoId: a.id, targetMemoId: b.id }), "NOT_FOUND");
  });

  it("records vector work in the memo's transaction and shows the index state", async () => {
    const { api, uid } = await h.user();
    const failing = h.caller(uid, {
      embedder: {
        model: h.embedder.model,
        dimensions: h.embedder.dimensions,
        embed: () => Promise.reject(new Error("embedding API down")),
      },
    });
    const memo = await failing.memo.create({ content: "written while embeddings fail" });
    expect(memo.indexState).toEqual({ status: "pending" });
    const [job] = await h.db.db.select().from(vectorJobs).where(eq(vectorJobs.targetId, memo.id));
    expect(job).toMatchObject({ op: "upsert", attempts: 1, lastError: "embedding API down" });
    expect(await h.vectors.memos.get([memo.id])).toEqual([]);
    // An edit with a working embedder re-arms and finishes the work.
    await api.memo.update({ id: memo.id, content: "edited" });
    expect((await api.memo.get({ id: memo.id })).indexState).toEqual({ status: "indexed" });
    expect((await h.vectors.memos.get([memo.id])).map((v) => v.uid)).toEqual([uid]);
    const [row] = await h.db.db.select().from(memos).where(eq(memos.id, memo.id));
    expect(row?.content).toBe("edited");
  });
});

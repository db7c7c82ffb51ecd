import { createOpenAiEmbedder } from "@aimo/ai";
import { memos, vectorJobs } from "@aimo/db";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { memoJobs, reconcileVectors, runDue } from "../src/server";
import type { Harness } from "./harness";
import { expectCode, openHarness, startConceptEmbeddingServer } from "./harness";

let h: Harness;
let embeddings: Awaited<ReturnType<typeof startConceptEmbeddingServer>>;

beforeAll(async () => {
  embeddings = await startConceptEmbeddingServer([
    ["car", "automobile", "vehicle", "sedan"],
    ["dog", "puppy", "canine"],
    ["coffee", "espresso", "latte"],
  ]);
  h = await openHarness("api_search", {
    embedder: (dimensions) =>
      createOpenAiEmbedder({
        baseUrl: embeddings.url,
        model: "concepts",
        dimensions,
        batchSize: 32,
        timeoutMs: 2000,
        retries: 0,
      }),
  });
});
afterAll(async () => {
  await h.close();
  await embeddings.close();
});

describe("search", () => {
  it("finds by meaning with no shared keyword, by keyword in Chinese, and fuses both", async () => {
    const { api } = await h.user();
    const sedan = await api.memo.create({ content: "Bought a new sedan today" });
    const puppy = await api.memo.create({ content: "The puppy chewed my shoes" });
    const zh = await api.memo.create({ content: "今天学习了机器学习的基础知识" });
    await api.memo.create({ content: "周末去公园散步" });
    const both = await api.memo.create({ content: "automobile maintenance notes" });

    const semantic = await api.search.query({ query: "automobile", mode: "semantic", limit: 5 });
    expect(semantic.degraded).toBe(false);
    expect(
      semantic.hits
        .slice(0, 2)
        .map((hit) => hit.memo.id)
        .sort(),
    ).toEqual([sedan.id, both.id].sort());
    expect(semantic.hits[0]!.similarity).toBeGreaterThan(0.9);

    const keyword = await api.search.query({ query: "机器学习", mode: "keyword" });
    expect(keyword.hits.map((hit) => hit.memo.id)).toEqual([zh.id]);
    const sentence = await api.search.query({ query: "机器学习入门", mode: "keyword" });
    expect(sentence.hits[0]?.memo.id).toBe(zh.id);

    const hybrid = await api.search.query({ query: "automobile" });
    expect(hybrid.hits[0]).toMatchObject({ memo: { id: both.id }, matchedBy: ["semantic", "keyword"] });
    expect(hybrid.hits[0]!.score).toBeLessThanOrEqual(1);
    expect(hybrid.hits[0]!.score).toBeGreaterThan(hybrid.hits[1]!.score);
    expect(hybrid.hits.map((hit) => hit.memo.id)).toContain(sedan.id);
    expect(hybrid.hits.map((hit) => hit.memo.id)).not.toContain(puppy.id);

    const related = await api.search.related({ memoId: sedan.id, limit: 3, minSimilarity: 0.5 });
    expect(related).toMatchObject({ degraded: false, hits: [{ memo: { id: both.id } }] });
    expect(related.hits).toHaveLength(1);
    expect((await api.search.related({ memoId: sedan.id, limit: 3 })).hits.length).toBeGreaterThan(1);
    // minScore is the deprecated name of minSimilarity; minSimilarity wins when both are given.
    expect(await api.search.related({ memoId: sedan.id, limit: 3, minScore: 0.5 })).toEqual(related);
    expect(await api.search.related({ memoId: sedan.id, limit: 3, minSimilarity: 0.5, minScore: 0 })).toEqual(
      related,
    );
  });

  it("finds words by prefix, best match first, follows edits, and never shows another user's memo", async () => {
    const { api } = await h.user();
    const { api: stranger } = await h.user();
    await stranger.memo.create({ content: "Learning gardening with budget tools" });
    const one = await api.memo.create({ content: "Learning to bake bread" });
    const two = await api.memo.create({ content: "Learning gardening on a budget, more gardening" });
    const short = await api.memo.create({ content: "AI is everywhere; 100% sure_thing" });
    const ids = async (query: string) =>
      (await api.search.query({ query, mode: "keyword" })).hits.map((hit) => hit.memo.id);

    expect(await ids("learn garden")).toEqual([two.id, one.id]);
    expect(await ids("AI")).toEqual([short.id]);
    // Punctuation separates words; LIKE wildcards in a query match nothing by themselves.
    expect(await ids("sure_")).toEqual([short.id]);
    expect(await ids("%_")).toEqual([]);

    await api.memo.update({ id: one.id, content: "Baking sourdough" });
    expect(await ids("learn")).toEqual([two.id]);
    expect(await ids("sourdough")).toEqual([one.id]);
    await api.memo.delete({ id: two.id });
    expect(await ids("garden")).toEqual([]);
  });

  it("applies memo filters and the minimum score to hits", async () => {
    const { api } = await h.user();
    const [inbox] = await api.category.list();
    const filed = await api.memo.create({ content: "espresso machine", categoryId: inbox!.id });
    await api.memo.create({ content: "latte art" });
    const hits = await api.search.query({ query: "coffee", mode: "semantic", categoryId: inbox!.id });
    expect(hits.hits.map((hit) => hit.memo.id)).toEqual([filed.id]);
    const none = await api.search.query({ query: "dog", mode: "semantic", minSimilarity: 0.9 });
    expect(none.hits).toEqual([]);
  });

  it("falls back to keyword results, marked degraded, when embedding the query fails", async () => {
    const { api } = await h.user();
    const memo = await api.memo.create({ content: "dog walking schedule" });
    embeddings.state.failing = true;
    try {
      const result = await api.search.query({ query: "dog walking" });
      expect(result.degraded).toBe(true);
      expect(result.hits.map((hit) => hit.memo.id)).toEqual([memo.id]);
      const semanticOnly = await api.search.query({ query: "walking", mode: "semantic" });
      expect(semanticOnly).toMatchObject({ degraded: true, hits: [{ memo: { id: memo.id } }] });
    } finally {
      embeddings.state.failing = false;
    }
  });

  it("answers related memos as none, marked degraded, while LanceDB or the embedding API is down", async () => {
    const { api, uid } = await h.user();
    const indexed = await api.memo.create({ content: "espresso tasting" });
    await api.memo.create({ content: "latte recipe" });
    embeddings.state.failing = true;
    try {
      const pending = await api.memo.create({ content: "coffee beans to buy" });
      expect(pending.indexState?.status).toBe("pending");
      expect(await api.search.related({ memoId: pending.id })).toEqual({ hits: [], degraded: true });
    } finally {
      embeddings.state.failing = false;
    }
    const withoutLanceDb = h.caller(uid, { vectors: await h.unavailableVectors() });
    expect(await withoutLanceDb.search.related({ memoId: indexed.id })).toEqual({ hits: [], degraded: true });
    await expectCode(withoutLanceDb.search.related({ memoId: "m-missing" }), "NOT_FOUND");
    expect((await api.search.related({ memoId: indexed.id })).degraded).toBe(false);
  });

  it("finds a memo by keyword while its embedding is pending", async () => {
    const { api } = await h.user();
    embeddings.state.failing = true;
    try {
      const memo = await api.memo.create({ content: "quarterly tax filing checklist" });
      expect(memo.indexState?.status).toBe("pending");
      const result = await api.search.query({ query: "checklist", mode: "keyword" });
      expect(result.hits.map((hit) => hit.memo.id)).toEqual([memo.id]);
    } finally {
      embeddings.state.failing = false;
    }
  });

  it("answers from the user's recent memos in MySQL, marked degraded, when LanceDB fails", async () => {
    const { api, uid } = await h.user();
    const { api: stranger } = await h.user();
    const memo = await api.memo.create({ content: "Renew the 护照 before the trip" });
    await api.memo.create({ content: "unrelated note" });
    await stranger.memo.create({ content: "my own 护照 renewal" });
    const offline = h.caller(uid, { vectors: await h.unavailableVectors() });
    for (const mode of ["hybrid", "keyword", "semantic"] as const) {
      const result = await offline.search.query({ query: "护照 renew", mode });
      expect(result.degraded).toBe(true);
      expect(result.hits.map((hit) => hit.memo.id)).toEqual([memo.id]);
    }
  });
});

describe("consistency between MySQL and LanceDB", () => {
  it("keeps writing while embeddings fail, then makes the memos searchable once they recover", async () => {
    const { api } = await h.user();
    embeddings.state.failing = true;
    const written = await api.memo.create({ content: "vehicle inspection due" });
    embeddings.state.failing = false;
    expect(written.indexState?.status).toBe("pending");
    expect((await api.search.query({ query: "car", mode: "semantic" })).hits).toEqual([]);
    // Time passes: the retry is due.
    await h.db.db.update(vectorJobs).set({ runAfter: sql`NOW(3)` });
    expect(await runDue(h.deps, memoJobs)).toBeGreaterThanOrEqual(1);
    expect((await api.memo.get({ id: written.id })).indexState).toEqual({ status: "indexed" });
    expect(
      (await api.search.query({ query: "car", mode: "semantic" })).hits.map((hit) => hit.memo.id),
    ).toEqual([written.id]);
  });

  it("reconcile reports and repairs orphan and missing vectors and keyword rows", async () => {
    const { api, uid } = await h.user();
    const kept = await api.memo.create({ content: "canine training" });
    const unsearchable = await api.memo.create({ content: "obedience classes" });
    // Drift injected behind the API's back: a vector and terms without memo, memos without vector or terms.
    await h.vectors.memos.upsert([{ id: "m-orphan", uid, vector: (await h.embedder.embed(["dog"]))[0]! }]);
    await h.vectors.memoTexts.upsert([{ id: "m-orphan-text", uid, text: "ghost" }]);
    await h.vectors.memos.delete([kept.id]);
    await h.vectors.memoTexts.delete([unsearchable.id]);

    const report = await reconcileVectors(h.deps, { repair: false });
    expect(report.orphans).toEqual(expect.arrayContaining(["m-orphan", "m-orphan-text"]));
    expect(report.missing).toEqual(expect.arrayContaining([kept.id, unsearchable.id]));
    const repaired = await reconcileVectors(h.deps, { repair: true });
    expect(repaired.repaired).toBe(true);
    const after = await reconcileVectors(h.deps, { repair: false });
    expect(after.orphans).toEqual([]);
    expect(after.missing).toEqual([]);
    const [{ n }] = (await h.db.db.select({ n: sql<number>`COUNT(*)` }).from(memos)) as [{ n: number }];
    expect(after.vectors).toBe(Number(n));
    expect(after.texts).toBe(Number(n));
    expect((await h.vectors.memos.get([kept.id])).map((v) => v.uid)).toEqual([uid]);
    const found = await api.search.query({ query: "obedience", mode: "keyword" });
    expect(found.hits.map((hit) => hit.memo.id)).toEqual([unsearchable.id]);
  });

  it("answers NOT_FOUND for related memos of a missing memo", async () => {
    const { api } = await h.user();
    await expectCode(api.search.related({ memoId: "m-missing" }), "NOT_FOUND");
  });
});

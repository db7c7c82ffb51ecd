import { describe, expect, it } from "vitest";

import { corpusStats, createCorpus, KEYWORD_QUERIES } from "../src";
import type { CorpusMemo } from "../src";

const sample = { memos: 4000, dims: 16 };
const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

describe("the bench corpus", () => {
  it("has the measured store's lengths, CJK share and user skew", () => {
    const stats = corpusStats(createCorpus(sample));
    expect(stats.memos).toBe(4000);
    expect(stats.length.p50).toBeGreaterThanOrEqual(70);
    expect(stats.length.p50).toBeLessThanOrEqual(115);
    expect(stats.length.p90).toBeGreaterThanOrEqual(250);
    expect(stats.length.p90).toBeLessThanOrEqual(480);
    expect(stats.length.p99).toBeGreaterThan(1500);
    expect(stats.length.max).toBeGreaterThan(10_000);
    expect(stats.cjkShare).toBeGreaterThan(0.18);
    expect(stats.cjkShare).toBeLessThan(0.33);
    expect(stats.heaviestUserShare).toBeCloseTo(0.225, 2);
    expect(stats.taggedShare).toBeGreaterThan(0.1);
    expect(stats.links).toBeGreaterThan(0);
  });

  it("gives the heaviest of 10 users 22% of 100,000 memos", () => {
    const corpus = createCorpus({ memos: 100_000 });
    expect(Math.max(...corpus.users.map((u) => u.memoCount))).toBeGreaterThanOrEqual(22_000);
    expect(Math.max(...corpus.users.map((u) => u.memoCount))).toBeLessThan(23_000);
    expect(corpus.users.reduce((n, u) => n + u.memoCount, 0)).toBe(100_000);
  });

  it("is the same corpus for the same seed and another for another seed", () => {
    const first = [...createCorpus({ ...sample, memos: 300 }).memos()];
    const again = [...createCorpus({ ...sample, memos: 300 }).memos()];
    const other = [...createCorpus({ ...sample, memos: 300, seed: 2 }).memos()];
    expect(again).toEqual(first);
    expect(other.map((m) => m.content)).not.toEqual(first.map((m) => m.content));
  });

  it("links a memo only to earlier memos of its user, with its user's tags and categories", () => {
    const corpus = createCorpus({ ...sample, memos: 2000 });
    const seen = new Map<string, CorpusMemo>();
    for (const memo of corpus.memos({ withVectors: false })) {
      const user = corpus.users.find((u) => u.uid === memo.uid)!;
      for (const target of memo.links) expect(seen.get(target)?.uid).toBe(memo.uid);
      for (const tagId of memo.tagIds) expect(user.tags.map((t) => t.id)).toContain(tagId);
      if (memo.categoryId) expect(user.categories.map((c) => c.id)).toContain(memo.categoryId);
      expect(memo.updatedAt).toBeGreaterThanOrEqual(memo.createdAt);
      seen.set(memo.id, memo);
    }
  });

  it("clusters vectors by topic, and queries land near their topic", () => {
    const corpus = createCorpus({ memos: 1500, dims: 256 });
    const memos = [...corpus.memos()];
    for (const m of memos.slice(0, 20)) expect(dot(m.vector, m.vector)).toBeCloseTo(1, 4);
    const [query] = corpus.semanticQueries(1);
    const ranked = memos
      .map((m) => ({ topic: m.topic, score: dot(m.vector, query!.vector) }))
      .sort((a, b) => b.score - a.score);
    const ofTopic = ranked.filter((r) => r.topic === query!.topic).length;
    expect(ofTopic).toBeGreaterThan(0);
    // Every memo of the query's topic ranks above every memo of an unrelated one.
    expect(ranked.slice(0, ofTopic).every((r) => r.topic === query!.topic)).toBe(true);

    const random = [...createCorpus({ memos: 200, dims: 256, vectors: "random" }).memos()];
    const sameTopic = random.filter((m) => m.topic === random[0]!.topic).slice(1, 6);
    for (const m of sameTopic) expect(Math.abs(dot(m.vector, random[0]!.vector))).toBeLessThan(0.3);
  });

  it("has keyword queries whose frequencies in 20,000 memos are rare < mid < common", () => {
    const contents = [...createCorpus({ memos: 20_000, dims: 4 }).memos({ withVectors: false })].map(
      (m) => m.content,
    );
    const share = (text: string) =>
      contents.filter((c) => text.split(" ").every((word) => c.includes(word))).length / contents.length;
    const byFrequency = (frequency: string) =>
      KEYWORD_QUERIES.filter((q) => q.frequency === frequency).map((q) => share(q.text));
    const rare = byFrequency("rare");
    const mid = byFrequency("mid");
    const common = byFrequency("common");
    expect(Math.min(...rare)).toBeGreaterThan(0);
    expect(Math.max(...rare)).toBeLessThan(Math.min(...mid));
    expect(Math.max(...mid)).toBeLessThan(Math.min(...common));
  });
});

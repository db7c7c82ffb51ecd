import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VectorStore } from "../src";
import { FOLD_AT_ROWS, openVectorStore } from "../src";
import { configFor, tempDir, unitVector } from "./helpers";

let dir: { dir: string; remove: () => Promise<void> };
let store: VectorStore;

beforeAll(async () => {
  dir = await tempDir("tiers");
  store = await openVectorStore(configFor(dir.dir));
});
afterAll(async () => {
  await store.close();
  await dir.remove();
});

/** Maintains the memo vectors; answers their rows per tier, recent first. */
const tierRows = async (consolidate = false) => {
  const report = await store.maintain({ only: ["memo_vectors", "memo_vectors_recent"], consolidate });
  return ["memo_vectors_recent", "memo_vectors"].map(
    (name) => report.tables.find((t) => t.name === name)?.rows,
  );
};
const row = (id: string, seed: number) => ({ id, uid: "u1", vector: unitVector(seed, 8) });

describe("memo vectors in two tiers", () => {
  it("searches both tiers as one: a recent row supersedes its folded one, in search and get alike", async () => {
    await store.memos.add([row("a", 1), row("b", 2), row("c", 3)]);
    await store.memos.upsert([row("d", 4), row("a", 5)]);
    expect(await tierRows()).toEqual([2, 3]);
    // The folded "a" is nearest to seed 1's vector, but "a" is seed 5's now.
    const hits = await store.memos.search("u1", unitVector(1, 8), { limit: 10 });
    expect(hits.map((hit) => hit.id).sort()).toEqual(["a", "b", "c", "d"]);
    expect(hits.find((hit) => hit.id === "a")!.similarity).toBeLessThan(0.999);
    const [a] = await store.memos.search("u1", unitVector(5, 8), { limit: 1 });
    expect(a).toMatchObject({ id: "a" });
    expect(a!.similarity).toBeCloseTo(1, 4);
    expect(hits.map((hit) => hit.similarity)).toEqual(
      [...hits.map((hit) => hit.similarity)].sort((x, y) => y - x),
    );
    const got = await store.memos.get(["a", "b", "d"]);
    expect(Object.fromEntries(got.map((r) => [r.id, r.vector[0]]))).toEqual({
      a: unitVector(5, 8)[0],
      b: unitVector(2, 8)[0],
      d: unitVector(4, 8)[0],
    });
    expect(await store.memos.count("u1")).toBe(4);
  });

  it("folds when consolidating or at FOLD_AT_ROWS recent rows, and answers the same after", async () => {
    const before = (await store.memos.search("u1", unitVector(1, 8), { limit: 10 })).map((hit) => hit.id);
    expect(await tierRows(true)).toEqual([0, 4]);
    expect((await store.memos.search("u1", unitVector(1, 8), { limit: 10 })).map((hit) => hit.id)).toEqual(
      before,
    );
    const [a] = await store.memos.search("u1", unitVector(5, 8), { limit: 1 });
    expect(a!.similarity).toBeCloseTo(1, 4);
    await store.memos.upsert(Array.from({ length: FOLD_AT_ROWS - 1 }, (_, i) => row(`n${i}`, 100 + i)));
    expect(await tierRows()).toEqual([FOLD_AT_ROWS - 1, 4]);
    await store.memos.upsert([row("last", 99)]);
    expect(await tierRows()).toEqual([0, FOLD_AT_ROWS + 4]);
    await store.memos.delete(["a", "last"]);
    expect(await store.memos.count("u1")).toBe(FOLD_AT_ROWS + 2);
  });
});

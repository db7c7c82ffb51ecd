import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VectorStore } from "../src";
import { FOLD_AT_ROWS, openVectorStore } from "../src";
import { configFor, tempDir } from "./helpers";

let dir: { dir: string; remove: () => Promise<void> };
let store: VectorStore;

beforeAll(async () => {
  dir = await tempDir("keywords");
  store = await openVectorStore(configFor(dir.dir));
});
afterAll(async () => {
  await store.close();
  await dir.remove();
});

const ids = async (uid: string, query: string, limit = 10) =>
  (await store.memoTexts.search(uid, query, { limit })).map((hit) => hit.id);
/** Maintains the keyword index (consolidating: every recent row folded); answers its rows per tier, recent first. */
const tierRows = async (consolidate = false) => {
  const report = await store.maintain({ only: ["memo_texts", "memo_texts_recent"], consolidate });
  return ["memo_texts_recent", "memo_texts"].map((name) => report.tables.find((t) => t.name === name)?.rows);
};

describe("keyword index", () => {
  it("finds a user's memos by Chinese pairs, by word prefixes, best match first, and only that user's", async () => {
    await store.memoTexts.upsert([
      { id: "zh", uid: "u1", text: "今天学习了机器学习的基础知识" },
      { id: "walk", uid: "u1", text: "周末去公园散步" },
      { id: "bread", uid: "u1", text: "Learning to bake bread" },
      { id: "garden", uid: "u1", text: "Learning gardening on a budget, more gardening" },
      { id: "other", uid: "u2", text: "Learning gardening with budget tools 机器学习" },
      { id: "quote's", uid: "u1'", text: "a user id with a quote: gardening" },
    ]);
    expect(await ids("u1", "机器学习")).toEqual(["zh"]);
    expect((await ids("u1", "机器学习入门"))[0]).toBe("zh");
    expect(await ids("u1", "learn garden")).toEqual(["garden", "bread"]);
    expect(await ids("u1", "le")).toEqual([]);
    expect(await ids("u1", "%_")).toEqual([]);
    expect(await ids("u2", "机器")).toEqual(["other"]);
    expect(await ids("u1'", "garden")).toEqual(["quote's"]);
    expect(await ids("nobody", "garden")).toEqual([]);
  });

  it("follows edits and deletes, before and after maintenance folds rows into the index", async () => {
    const texts = store.memoTexts;
    await texts.upsert([{ id: "e1", uid: "u3", text: "sourdough starter" }]);
    expect(await ids("u3", "sourdough")).toEqual(["e1"]);
    await store.maintain();
    await texts.upsert([
      { id: "e1", uid: "u3", text: "rye crackers" },
      { id: "e2", uid: "u3", text: "more sourdough" },
    ]);
    expect(await ids("u3", "sourdough")).toEqual(["e2"]);
    expect(await ids("u3", "crackers")).toEqual(["e1"]);
    await store.maintain();
    expect(await ids("u3", "sourdough")).toEqual(["e2"]);
    await texts.delete(["e2"]);
    expect(await ids("u3", "sourdough")).toEqual([]);
    expect(await texts.count("u3")).toBe(1);
    await texts.deleteByUser("u3");
    expect(await texts.count("u3")).toBe(0);
  });

  it("folds the recent tier into the main one when consolidating; an edit after the fold supersedes the folded row", async () => {
    const texts = store.memoTexts;
    await texts.upsert([
      { id: "f1", uid: "u4", text: "kimchi fermentation notes" },
      { id: "f2", uid: "u4", text: "fermentation of miso" },
    ]);
    const [, main] = (await tierRows(true)) as [number, number];
    expect(main).toBeGreaterThanOrEqual(2);
    expect((await ids("u4", "fermentation")).sort()).toEqual(["f1", "f2"]);
    await texts.upsert([{ id: "f1", uid: "u4", text: "grilled peppers" }]);
    // The folded f1 still holds "fermentation" and "kimchi": the recent row is the memo now.
    expect(await ids("u4", "fermentation")).toEqual(["f2"]);
    expect(await ids("u4", "kimchi")).toEqual([]);
    expect(await ids("u4", "peppers")).toEqual(["f1"]);
    expect(await texts.count("u4")).toBe(2);
    const scanned = [];
    for await (const batch of texts.scanIds()) scanned.push(...batch.filter((row) => row.uid === "u4"));
    expect(scanned.map((row) => row.id).sort()).toEqual(["f1", "f2"]);
    expect(await tierRows(true)).toEqual([0, main]);
    expect(await ids("u4", "kimchi")).toEqual([]);
    expect(await ids("u4", "peppers")).toEqual(["f1"]);
    await texts.upsert([{ id: "f3", uid: "u4", text: "more fermentation" }]);
    await texts.delete(["f2", "f3"]);
    expect(await ids("u4", "fermentation")).toEqual([]);
    expect(await texts.count("u4")).toBe(1);
  });

  it("keeps writes in the recent tier until it holds FOLD_AT_ROWS, and a bulk load goes to the main tier", async () => {
    const [recent, main] = (await tierRows(true)) as [number, number];
    expect(recent).toBe(0);
    await store.memoTexts.upsert([{ id: "t1", uid: "u5", text: "tiered index" }]);
    await store.memoTexts.add([{ id: "t2", uid: "u5", text: "bulk tiered load" }]);
    expect(await tierRows()).toEqual([1, main + 1]);
    expect((await ids("u5", "tiered")).sort()).toEqual(["t1", "t2"]);
    const many = Array.from({ length: FOLD_AT_ROWS - 2 }, (_, i) => ({
      id: `n${i}`,
      uid: "u6",
      text: "filler",
    }));
    await store.memoTexts.upsert(many);
    expect(await tierRows()).toEqual([FOLD_AT_ROWS - 1, main + 1]);
    await store.memoTexts.upsert([{ id: "t3", uid: "u5", text: "tiered once more" }]);
    expect(await tierRows()).toEqual([0, main + FOLD_AT_ROWS + 1]);
    expect((await ids("u5", "tiered")).sort()).toEqual(["t1", "t2", "t3"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VectorStore } from "../src";
import { openVectorStore } from "../src";
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
});

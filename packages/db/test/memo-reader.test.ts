import { eq, getTableColumns } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ScratchDatabase } from "../src/testing";
import {
  categories,
  createId,
  memos,
  memoTagRows,
  memoTags,
  memoTagsOf,
  newestMemoRows,
  selectMemoRows,
  tags,
  users,
} from "../src";
import { openScratchDatabase } from "../src/testing";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await openScratchDatabase("db_memo_reader");
});
afterAll(async () => {
  await scratch.drop();
});

describe("the fast memo reader", () => {
  it("reads every column of memos as drizzle does, plus the tags in order", async () => {
    const uid = createId("user");
    await scratch.db.insert(users).values({ uid, passwordHash: "x" });
    const categoryId = createId("category");
    await scratch.db.insert(categories).values({ id: categoryId, uid, name: "c" });
    const id = createId("memo");
    await scratch.db.insert(memos).values({
      id,
      uid,
      categoryId,
      content: "every field 😀",
      type: "video",
      source: "https://example.test/s",
      attachmentIds: ["a1", "a2"],
      isPublic: true,
      createdAt: new Date(Date.UTC(2020, 1, 29, 23, 59, 59, 999)),
      updatedAt: new Date(Date.UTC(2021, 6, 1, 0, 0, 0, 1)),
    });
    const tagIds = [createId("tag"), createId("tag")];
    await scratch.db.insert(tags).values([
      { id: tagIds[0]!, uid, name: "zeta" },
      { id: tagIds[1]!, uid, name: "alpha" },
    ]);
    await scratch.db.insert(memoTags).values(memoTagRows(id, uid, tagIds));

    const [byDrizzle] = await scratch.db.select().from(memos).where(eq(memos.id, id));
    const [fast] = await selectMemoRows(scratch.db, { where: eq(memos.id, id) });
    const [newest] = await newestMemoRows(scratch.db, uid, 1);
    const columns = Object.entries(getTableColumns(memos));
    for (const row of [fast!, newest!]) {
      expect(Object.keys(row).sort()).toEqual([...columns.map(([key]) => key), "tagList"].sort());
      for (const [key, column] of columns) {
        const value = row[key as keyof typeof row];
        expect(value, key).toEqual(byDrizzle![key as keyof typeof byDrizzle]);
        // The fixture sets every column away from null and its default, so a column read wrongly shows.
        expect(value, key).not.toBeNull();
        expect(value, key).not.toEqual(column.default);
      }
      expect(memoTagsOf(row)).toEqual([
        { id: tagIds[0], name: "zeta" },
        { id: tagIds[1], name: "alpha" },
      ]);
    }
  });
});

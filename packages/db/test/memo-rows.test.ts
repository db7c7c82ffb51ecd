import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ScratchDatabase } from "../src/testing";
import { createId, memos, memoTagRows, memoTags, recountTagsSql, tags, users } from "../src";
import { openScratchDatabase } from "../src/testing";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await openScratchDatabase("db_memo_rows");
});
afterAll(async () => {
  await scratch.drop();
});

describe("the memo row model", () => {
  it("links tags in the order given and recounts the named tags, or all", async () => {
    const uid = createId("user");
    await scratch.db.insert(users).values({ uid, passwordHash: "x" });
    const [a, b, c] = [createId("tag"), createId("tag"), createId("tag")];
    // Counts that drifted, as legacy data arrives.
    await scratch.db.insert(tags).values([
      { id: a, uid, name: "a", usageCount: 7 },
      { id: b, uid, name: "b", usageCount: 7 },
      { id: c, uid, name: "c", usageCount: 7 },
    ]);
    const memoId = createId("memo");
    await scratch.db.insert(memos).values({ id: memoId, uid, content: "x", attachmentIds: [] });
    await scratch.db.insert(memoTags).values(memoTagRows(memoId, uid, [b, a]));
    const links = await scratch.db
      .select({ tagId: memoTags.tagId, position: memoTags.position, uid: memoTags.uid })
      .from(memoTags)
      .where(eq(memoTags.memoId, memoId))
      .orderBy(memoTags.position);
    expect(links).toEqual([
      { tagId: b, position: 0, uid },
      { tagId: a, position: 1, uid },
    ]);

    const counts = async () =>
      Object.fromEntries(
        (
          await scratch.db.select({ id: tags.id, n: tags.usageCount }).from(tags).where(eq(tags.uid, uid))
        ).map((t) => [t.id, t.n]),
      );
    await scratch.db.execute(recountTagsSql([a, a]));
    expect(await counts()).toEqual({ [a]: 1, [b]: 7, [c]: 7 });
    await scratch.db.execute(recountTagsSql());
    expect(await counts()).toEqual({ [a]: 1, [b]: 1, [c]: 0 });
  });
});

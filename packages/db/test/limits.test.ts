import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ScratchDatabase } from "../src/testing";
import { createId, memos, mysqlErrorCode, NAME_MAX, SOURCE_URL_MAX, tags, TIMESTAMP_MS, users } from "../src";
import { openScratchDatabase } from "../src/testing";

let scratch: ScratchDatabase;
let uid: string;
beforeAll(async () => {
  scratch = await openScratchDatabase("db_limits");
  uid = createId("user");
  await scratch.db.insert(users).values({ uid, passwordHash: "x" });
});
afterAll(async () => {
  await scratch.drop();
});

const memoAt = (ms: number, source: string | null = null) => ({
  id: createId("memo"),
  uid,
  content: "limits",
  attachmentIds: [],
  source,
  createdAt: new Date(ms),
  updatedAt: new Date(ms),
});

/** The limits are what the columns hold: the edge value goes in and comes back, one past it is refused. */
describe("limits agree with the tables", () => {
  it("TIMESTAMP_MS spans exactly what TIMESTAMP(3) holds", async () => {
    for (const ms of [TIMESTAMP_MS.min, TIMESTAMP_MS.max]) {
      const memo = memoAt(ms);
      await scratch.db.insert(memos).values(memo);
      const [row] = await scratch.db.select().from(memos).where(eq(memos.id, memo.id));
      expect(row!.createdAt.getTime()).toBe(ms);
    }
    await expect(scratch.db.insert(memos).values(memoAt(TIMESTAMP_MS.max + 1))).rejects.toThrow();
  });

  it("NAME_MAX characters (of four bytes each) make a name, one more does not", async () => {
    const name = "😀".repeat(NAME_MAX);
    await scratch.db.insert(tags).values({ id: createId("tag"), uid, name });
    const longer = scratch.db.insert(tags).values({ id: createId("tag"), uid, name: `${name}x` });
    await expect(longer).rejects.toSatisfy((e) => mysqlErrorCode(e) === "ER_DATA_TOO_LONG");
  });

  it("SOURCE_URL_MAX characters make a source, one more does not", async () => {
    const url = `https://example.test/${"a".repeat(SOURCE_URL_MAX - 21)}`;
    expect(url).toHaveLength(SOURCE_URL_MAX);
    await scratch.db.insert(memos).values(memoAt(TIMESTAMP_MS.min, url));
    const longer = scratch.db.insert(memos).values(memoAt(TIMESTAMP_MS.min, `${url}a`));
    await expect(longer).rejects.toSatisfy((e) => mysqlErrorCode(e) === "ER_DATA_TOO_LONG");
  });
});

describe("mysqlErrorCode", () => {
  it("finds the driver's code under drizzle's wrapper and one more", async () => {
    const id = createId("tag");
    await scratch.db.insert(tags).values({ id, uid, name: "dup" });
    const error: unknown = await scratch.db
      .insert(tags)
      .values({ id, uid, name: "dup2" })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(mysqlErrorCode(error)).toBe("ER_DUP_ENTRY");
    expect(mysqlErrorCode(new Error("retry gave up", { cause: error }))).toBe("ER_DUP_ENTRY");
    expect(mysqlErrorCode(new Error("not a query"))).toBeUndefined();
  });
});

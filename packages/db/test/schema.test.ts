import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  aiConversations,
  aiMessages,
  apiTokens,
  attachments,
  categories,
  createId,
  dailyRecommendations,
  memoRelations,
  memos,
  memoTags,
  migrate,
  pushDeliveries,
  pushRules,
  tags,
  users,
  vectorJobs,
  withTransaction,
} from "../src";
import type { ScratchDatabase } from "../src/testing";
import { openScratchDatabase } from "../src/testing";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await openScratchDatabase("db_schema");
});
afterAll(async () => {
  await scratch.drop();
});

const at = (iso: string) => new Date(iso);
/** drizzle wraps the driver error; the MySQL code is on its cause. */
const DUPLICATE = { cause: { code: "ER_DUP_ENTRY" } };

async function insertUser(email: string | null = null) {
  const uid = createId("user");
  await scratch.db
    .insert(users)
    .values({ uid, email, passwordHash: "$argon2id$x", createdAt: at("2024-01-02T03:04:05.678Z") });
  return uid;
}

describe("schema round-trips", () => {
  it("keeps 4-byte UTF-8, CRLF, whitespace and a 100 KB memo intact, with millisecond times and JSON arrays", async () => {
    const uid = await insertUser("round@trip.test");
    const categoryId = createId("category");
    await scratch.db.insert(categories).values({ id: categoryId, uid, name: "读书 📚" });
    const content = `  lead 😀 𠀀 汉字\r\n\tline\r\n${"x".repeat(100_000)}  `;
    const memoId = createId("memo");
    await scratch.db.insert(memos).values({
      id: memoId,
      uid,
      categoryId,
      content,
      attachmentIds: ["AbC-_1", "abc-_1"],
      isPublic: true,
      createdAt: at("2019-05-06T07:08:09.123Z"),
      updatedAt: at("2020-05-06T07:08:09.999Z"),
    });
    const [memo] = await scratch.db.select().from(memos).where(eq(memos.id, memoId));
    expect(memo?.content).toBe(content);
    expect(memo?.attachmentIds).toEqual(["AbC-_1", "abc-_1"]);
    expect(memo?.isPublic).toBe(true);
    expect(memo?.type).toBe("text");
    expect(memo?.createdAt.getTime()).toBe(Date.parse("2019-05-06T07:08:09.123Z"));
    expect(memo?.updatedAt.getTime()).toBe(Date.parse("2020-05-06T07:08:09.999Z"));
    const [category] = await scratch.db.select().from(categories).where(eq(categories.id, categoryId));
    expect(category?.name).toBe("读书 📚");
  });

  it("round-trips every other table", async () => {
    const uid = await insertUser();
    const tagId = createId("tag");
    const memoA = createId("memo");
    const memoB = createId("memo");
    const attachmentId = "Zz_-case";
    const conversationId = createId("conversation");
    const ruleId = createId("pushRule");
    await scratch.db.insert(tags).values({ id: tagId, uid, name: "emoji 🏷️", usageCount: 1 });
    await scratch.db.insert(memos).values([
      { id: memoA, uid, content: "a", attachmentIds: [], type: "audio" },
      { id: memoB, uid, content: "b", attachmentIds: [] },
    ]);
    await scratch.db.insert(memoTags).values({ memoId: memoA, tagId, uid, position: 0 });
    await scratch.db
      .insert(memoRelations)
      .values({ id: createId("relation"), uid, sourceMemoId: memoA, targetMemoId: memoB });
    await scratch.db.insert(attachments).values({
      id: attachmentId,
      uid,
      filename: "résumé 简历.pdf",
      mimeType: "application/pdf",
      size: 5_000_000_000,
      storageType: "s3",
      path: `${uid}/2024-01-01/${attachmentId}.pdf`,
      isPublicBucket: false,
      properties: { width: 10, height: 20 },
    });
    await scratch.db.insert(aiConversations).values({ id: conversationId, uid, title: "新对话" });
    await scratch.db.insert(aiMessages).values({
      id: createId("message"),
      conversationId,
      uid,
      role: "assistant",
      content: "answer",
      sources: [{ memoId: memoA, content: "a", similarity: 0.5 }],
    });
    await scratch.db
      .insert(dailyRecommendations)
      .values({ id: createId("recommendation"), uid, date: "2026-02-28", memoIds: [memoA, memoB] });
    await scratch.db.insert(pushRules).values({
      id: ruleId,
      uid,
      name: "morning",
      pushTime: 8,
      contentType: "daily_pick",
      channels: [{ type: "feishu", webhookUrl: "https://example.test/hook", secret: "s" }],
      enabled: false,
    });
    await scratch.db.insert(pushDeliveries).values({
      id: createId("pushDelivery"),
      uid,
      ruleId,
      channelType: "feishu",
      status: "failed",
      error: "boom",
    });
    await scratch.db.insert(apiTokens).values({
      id: createId("apiToken"),
      uid,
      name: "cli",
      tokenHash: "f".repeat(64),
      prefix: "aimo_pat_ab",
    });

    const [attachment] = await scratch.db.select().from(attachments).where(eq(attachments.id, attachmentId));
    expect(attachment).toMatchObject({
      filename: "résumé 简历.pdf",
      size: 5_000_000_000,
      isPublicBucket: false,
      properties: { width: 10, height: 20 },
    });
    const [message] = await scratch.db
      .select()
      .from(aiMessages)
      .where(eq(aiMessages.conversationId, conversationId));
    expect(message?.sources).toEqual([{ memoId: memoA, content: "a", similarity: 0.5 }]);
    const [recommendation] = await scratch.db
      .select()
      .from(dailyRecommendations)
      .where(eq(dailyRecommendations.uid, uid));
    expect(recommendation).toMatchObject({ date: "2026-02-28", memoIds: [memoA, memoB] });
    const [rule] = await scratch.db.select().from(pushRules).where(eq(pushRules.id, ruleId));
    expect(rule).toMatchObject({ enabled: false, pushTime: 8, channels: [{ type: "feishu", secret: "s" }] });
    const [memo] = await scratch.db.select().from(memos).where(eq(memos.id, memoA));
    expect(memo?.type).toBe("audio");
    expect(memo?.isPublic).toBe(false);
  });

  it("treats ids as case-sensitive and emails as unique but nullable", async () => {
    const uid = await insertUser();
    await scratch.db.insert(attachments).values([
      {
        id: "caseId",
        uid,
        filename: "a",
        mimeType: "text/plain",
        size: 1,
        storageType: "local",
        path: "a",
        properties: {},
      },
      {
        id: "CASEID",
        uid,
        filename: "b",
        mimeType: "text/plain",
        size: 1,
        storageType: "local",
        path: "b",
        properties: {},
      },
    ]);
    const rows = await scratch.db.select().from(attachments).where(eq(attachments.id, "caseId"));
    expect(rows.map((r) => r.filename)).toEqual(["a"]);
    await insertUser(null);
    await insertUser(null);
    await insertUser("dup@example.test");
    await expect(insertUser("dup@example.test")).rejects.toMatchObject(DUPLICATE);
  });
});

describe("constraints and cascades", () => {
  it("deleting a user removes their rows everywhere", async () => {
    const uid = await insertUser();
    const other = await insertUser();
    const memoId = createId("memo");
    const conversationId = createId("conversation");
    await scratch.db.insert(categories).values({ id: createId("category"), uid, name: "c" });
    await scratch.db.insert(memos).values([
      { id: memoId, uid, content: "mine", attachmentIds: [] },
      { id: createId("memo"), uid: other, content: "theirs", attachmentIds: [] },
    ]);
    await scratch.db.insert(aiConversations).values({ id: conversationId, uid, title: "t" });
    await scratch.db
      .insert(aiMessages)
      .values({ id: createId("message"), conversationId, uid, role: "user", content: "q", sources: [] });
    await scratch.db
      .insert(vectorJobs)
      .values({ id: createId("vectorJob"), uid, target: "memo", targetId: memoId, op: "upsert" });

    await scratch.db.delete(users).where(eq(users.uid, uid));

    for (const table of [categories, memos, aiConversations, aiMessages, vectorJobs] as const) {
      const [row] = await scratch.db
        .select({ n: sql<number>`count(*)` })
        .from(table)
        .where(eq(table.uid, uid));
      expect(Number(row?.n)).toBe(0);
    }
    const [theirs] = await scratch.db
      .select({ n: sql<number>`count(*)` })
      .from(memos)
      .where(eq(memos.uid, other));
    expect(Number(theirs?.n)).toBe(1);
  });

  it("deleting a category leaves its memos uncategorised", async () => {
    const uid = await insertUser();
    const categoryId = createId("category");
    const memoId = createId("memo");
    await scratch.db.insert(categories).values({ id: categoryId, uid, name: "to delete" });
    await scratch.db.insert(memos).values({ id: memoId, uid, categoryId, content: "m", attachmentIds: [] });
    await scratch.db.delete(categories).where(eq(categories.id, categoryId));
    const [memo] = await scratch.db.select().from(memos).where(eq(memos.id, memoId));
    expect(memo?.categoryId).toBeNull();
  });

  it("refuses a duplicate relation, a second recommendation for a day and a same-name category in another case", async () => {
    const uid = await insertUser();
    const [a, b] = [createId("memo"), createId("memo")];
    await scratch.db.insert(memos).values([
      { id: a, uid, content: "a", attachmentIds: [] },
      { id: b, uid, content: "b", attachmentIds: [] },
    ]);
    await scratch.db
      .insert(memoRelations)
      .values({ id: createId("relation"), uid, sourceMemoId: a, targetMemoId: b });
    await expect(
      scratch.db
        .insert(memoRelations)
        .values({ id: createId("relation"), uid, sourceMemoId: a, targetMemoId: b }),
    ).rejects.toMatchObject(DUPLICATE);
    await scratch.db
      .insert(dailyRecommendations)
      .values({ id: createId("recommendation"), uid, date: "2026-03-01", memoIds: [a] });
    await expect(
      scratch.db
        .insert(dailyRecommendations)
        .values({ id: createId("recommendation"), uid, date: "2026-03-01", memoIds: [b] }),
    ).rejects.toMatchObject(DUPLICATE);
    await scratch.db.insert(categories).values({ id: createId("category"), uid, name: "Work" });
    await expect(
      scratch.db.insert(categories).values({ id: createId("category"), uid, name: "work" }),
    ).rejects.toMatchObject(DUPLICATE);
  });
});

describe("withTransaction and migrate", () => {
  it("rolls back every write when the function throws", async () => {
    const uid = createId("user");
    await expect(
      withTransaction(scratch.db, async (tx) => {
        await tx.insert(users).values({ uid, passwordHash: "h" });
        await tx.insert(categories).values({ id: createId("category"), uid, name: "inside" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await scratch.db.select().from(users).where(eq(users.uid, uid))).toEqual([]);
    expect(await scratch.db.select().from(categories).where(eq(categories.uid, uid))).toEqual([]);
  });

  it("commits when the function resolves", async () => {
    const uid = createId("user");
    const result = await withTransaction(scratch.db, async (tx) => {
      await tx.insert(users).values({ uid, passwordHash: "h" });
      return "done";
    });
    expect(result).toBe("done");
    expect(await scratch.db.select().from(users).where(eq(users.uid, uid))).toHaveLength(1);
  });

  it("is a no-op on an already migrated database", async () => {
    const count = async () => {
      const [rows] = await scratch.pool.query("SELECT COUNT(*) AS n FROM __drizzle_migrations");
      return Number((rows as { n: number }[])[0]?.n);
    };
    const before = await count();
    await migrate(scratch);
    await migrate(scratch);
    expect(await count()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});

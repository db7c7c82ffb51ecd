import { rm } from "node:fs/promises";

import {
  aiMessages,
  attachments,
  categories,
  dailyRecommendations,
  memoRelations,
  memos,
  memoTags,
  pushRules,
  tags,
  users,
} from "@aimo/db";
import type { MaintenanceReport } from "@aimo/vectors";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { FIXTURE, fixtureVector } from "../src/fixtures/legacy-store";
import { openLegacySource } from "../src/legacy/reader";
import type { MigrationReport } from "../src/migrate";
import { ALL_TABLES, migrateLegacy } from "../src/migrate";
import { verifyMigration } from "../src/verify";
import type { Target } from "./helpers";
import { DIMS, legacyStore, openTarget } from "./helpers";

let sourceDir: string;
let target: Target;
let report: MigrationReport;
let maintenance: MaintenanceReport;

const run = async (options: Partial<Parameters<typeof migrateLegacy>[3]> = {}) => {
  const source = await openLegacySource(sourceDir);
  try {
    return await migrateLegacy(source, target.db, target.vectors, {
      tables: ALL_TABLES,
      batchSize: 3,
      retries: 1,
      dryRun: false,
      ...options,
    });
  } finally {
    source.close();
  }
};
const summaryOf = (r: MigrationReport, table: string) => r.tables.find((t) => t.table === table)!;

beforeAll(async () => {
  sourceDir = await legacyStore("main", { upgradedOrder: true, bulkMemos: 20, addBatch: 1 });
  target = await openTarget("migrate_main");
  report = await run();
  // What `migrate:data` does next, in a process of its own.
  maintenance = await target.vectors.maintain();
});
afterAll(async () => {
  await target.close();
  await rm(sourceDir, { recursive: true, force: true });
});

describe("a legacy store migrates field by field", () => {
  it("copies users with their bcrypt hashes and lower-cased emails", async () => {
    const [alice] = await target.db.db.select().from(users).where(eq(users.uid, "u1alice"));
    expect(alice).toMatchObject({
      email: "alice@example.com",
      passwordHash: `$2b$10$${"a".repeat(53)}`,
      nickname: "Alice",
      status: 1,
    });
    expect(alice?.createdAt.getTime()).toBe(Date.UTC(2023, 0, 15, 8, 30, 0, 123));
    expect(summaryOf(report, "users")).toEqual({
      table: "users",
      total: 4,
      migrated: 4,
      failed: 0,
      skipped: 0,
    });
  });

  it("keeps content byte for byte: CJK, emoji, a 100 KB memo, CRLF and surrounding whitespace", async () => {
    const rows = await target.db.db.select().from(memos);
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(FIXTURE.bigMemo)?.content).toBe(FIXTURE.bigContent);
    expect(Buffer.byteLength(FIXTURE.bigContent)).toBeGreaterThan(100_000);
    // Its terms are in the keyword index, for its owner only, and the index is built by the end of the run.
    const found = await target.vectors.memoTexts.search("u1alice", "机器学习", { limit: 5 });
    expect(found.map((hit) => hit.id)).toContain(FIXTURE.cjkMemo);
    expect(await target.vectors.memoTexts.search("u2bob", "机器学习", { limit: 5 })).toEqual([]);
    expect(maintenance.tables.find((t) => t.name === "memo_texts")).toMatchObject({
      fragmentsAfter: 1,
      indexed: ["memoId", "terms", "uid"],
    });
    expect(byId.get(FIXTURE.cjkMemo)).toMatchObject({
      content: FIXTURE.cjkContent,
      isPublic: true,
      source: "https://example.com/clip",
      attachmentIds: [],
    });
    expect(byId.get(FIXTURE.crlfMemo)).toMatchObject({ content: FIXTURE.crlfContent, type: "audio" });
    expect(byId.get(FIXTURE.danglingMemo)?.createdAt.getTime()).toBe(Date.UTC(2012, 5, 1));
  });

  it("repairs legacy defects and counts each repair", async () => {
    const danglingTags = await target.db.db
      .select()
      .from(memoTags)
      .where(eq(memoTags.memoId, FIXTURE.danglingMemo))
      .orderBy(asc(memoTags.position));
    // The duplicate "Idea" tag folds into "idea"; the deleted tag id is dropped.
    expect(danglingTags.map((t) => t.tagId)).toEqual([FIXTURE.keptTag, "t-todo"]);
    const [dangling] = await target.db.db.select().from(memos).where(eq(memos.id, FIXTURE.danglingMemo));
    expect(dangling).toMatchObject({
      attachmentIds: [FIXTURE.garbledAttachment],
      categoryId: FIXTURE.keptCategory,
    });
    const [orphaned] = await target.db.db
      .select()
      .from(memos)
      .where(eq(memos.id, FIXTURE.deletedCategoryMemo));
    expect(orphaned?.categoryId).toBeNull();
    const counts = Object.fromEntries(
      (await target.db.db.select().from(tags)).map((t) => [t.id, t.usageCount]),
    );
    expect(counts).toEqual({ [FIXTURE.keptTag]: 2, "t-todo": 4, "t-bob": 1 });
    const [garbled] = await target.db.db
      .select()
      .from(attachments)
      .where(eq(attachments.id, FIXTURE.garbledAttachment));
    expect(garbled).toMatchObject({ filename: "简历 résumé.pdf", properties: { width: 640, height: 480 } });
    expect(
      Object.fromEntries((await target.db.db.select().from(categories)).map((c) => [c.id, c.name])),
    ).toEqual({
      "c-diary-1": "日记",
      "c-diary-2": "日记",
      [FIXTURE.keptCategory]: "Work",
      "c-cafe": "Cafe",
      "c-cafe-accent": "Café (2)",
    });
    const [dave] = await target.db.db.select().from(users).where(eq(users.uid, "u4dave"));
    expect(dave).toMatchObject({ email: null, phone: null, nickname: "Dave" });
    expect(report.repairs).toMatchObject({
      "duplicate category names merged": 1,
      "duplicate tag names merged": 1,
      "garbled file names recovered": 1,
      "memo categories of deleted categories cleared": 1,
      "duplicate links collapsed": 1,
      "duplicate daily picks collapsed": 1,
      "duplicate cache rows collapsed": 1,
      "category names suffixed (equal to another in MySQL's collation)": 1,
      "emails held by an older account cleared": 1,
      "phones held by an older account cleared": 1,
      "links to another user's memo dropped": 1,
    });
    expect(report.repairs["dangling, foreign or duplicate attachment ids dropped from memos"]).toBe(1);
    // One deleted tag on the dangling memo, and Bob's memos carrying Alice's tag (4 of them).
    expect(report.repairs["dangling, foreign or duplicate tag ids dropped from memos"]).toBe(5);
  });

  it("reports a failing record while the rest lands", async () => {
    const byId = new Map(report.failures.map((f) => [`${f.table}:${f.id}`, f.reason]));
    expect(byId.get(`memos:${FIXTURE.ghostMemo}`)).toMatch(/owner or parent does not exist/);
    expect(byId.get(`attachments:${FIXTURE.badJsonAttachment}`)).toBe("properties is not valid JSON");
    expect(report.failures).toHaveLength(2);
    expect(summaryOf(report, "memos")).toMatchObject({ total: 26, migrated: 25, failed: 1 });
  });

  it("copies messages with the conversation's owner, sources as arrays, and other tables' JSON and booleans", async () => {
    const messages = await target.db.db.select().from(aiMessages).orderBy(asc(aiMessages.createdAt));
    expect(messages.map((m) => [m.id, m.uid, m.sources.length])).toEqual([
      ["msg1", "u1alice", 0],
      ["msg2", "u1alice", 2],
      ["msg3", "u1alice", 0],
    ]);
    expect(messages[1]!.sources[0]).toEqual({
      memoId: FIXTURE.cjkMemo,
      content: FIXTURE.cjkContent,
      similarity: 0.875,
    });
    const rules = await target.db.db.select().from(pushRules).orderBy(asc(pushRules.id));
    expect(rules.map((r) => [r.enabled, r.channels.length])).toEqual([
      [true, 1],
      [false, 0],
    ]);
    expect(await target.db.db.select().from(memoRelations)).toHaveLength(2);
    const [pick] = await target.db.db.select().from(dailyRecommendations);
    expect(pick).toMatchObject({ id: "rec1", date: "2023-01-15", memoIds: [FIXTURE.bigMemo, "m-gone"] });
  });

  it("puts every memo vector and the caches into LanceDB, with the source's dimension", async () => {
    const [vector] = await target.vectors.memos.get([FIXTURE.cjkMemo]);
    expect(vector?.uid).toBe("u1alice");
    expect(Array.from(vector!.vector)).toEqual(Array.from(fixtureVector(FIXTURE.cjkContent, DIMS)));
    expect(await target.vectors.memos.count()).toBe(25);
    expect(await target.vectors.attachments.count()).toBe(1);
    expect(summaryOf(report, "embedding_cache")).toMatchObject({ total: 3, migrated: 2 });
  });
});

describe("re-running and verifying", () => {
  it("migrates nothing on a second run and skips everything that is there", async () => {
    const again = await run();
    expect(again.tables.reduce((n, t) => n + t.migrated, 0)).toBe(0);
    expect(summaryOf(again, "memos")).toMatchObject({ migrated: 0, skipped: 25, failed: 1 });
    expect(await target.vectors.memos.count()).toBe(25);
  });

  it("verifies clean, then catches a tampered row", async () => {
    const source = await openLegacySource(sourceDir);
    try {
      const clean = await verifyMigration(source, target.db, target.vectors, ALL_TABLES, 50);
      expect(clean.tables.filter((t) => t.missing.length + t.mismatched.length)).toEqual([]);
      expect(Object.entries(clean.orphans).filter(([, n]) => n > 0)).toEqual([]);
      expect(clean.tables.find((t) => t.table === "memos")?.withoutOwner).toEqual([FIXTURE.ghostMemo]);
      expect(clean.ok).toBe(true);
      await target.db.db.update(memos).set({ content: "tampered" }).where(eq(memos.id, FIXTURE.cjkMemo));
      const tampered = await verifyMigration(source, target.db, target.vectors, ALL_TABLES, 50);
      expect(tampered.ok).toBe(false);
      expect(tampered.tables.find((t) => t.table === "memos")?.mismatched).toEqual([FIXTURE.cjkMemo]);
      await target.db.db
        .update(memos)
        .set({ content: FIXTURE.cjkContent })
        .where(eq(memos.id, FIXTURE.cjkMemo));
    } finally {
      source.close();
    }
  });
});

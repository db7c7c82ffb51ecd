import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";

import type { ApiDeps } from "@aimo/api/server";
import {
  applyNow,
  attachmentService,
  enqueueVectorWork,
  memoJobs,
  recountTags,
  resolveTagIds,
  toTRPCError,
} from "@aimo/api/server";
import type { Executor, ImportSkip, Transaction } from "@aimo/db";
import {
  aiConversations,
  aiMessages,
  attachments,
  categories,
  createId,
  dailyRecommendations,
  importItems,
  memoRelations,
  memos,
  memoTagRows,
  memoTags,
  pushRules,
  tags,
  withTransaction,
} from "@aimo/db";
import { and, eq, inArray } from "drizzle-orm";
import type { AnyMySqlColumn, MySqlTable } from "drizzle-orm/mysql-core";
import { lookup } from "mime-types";

import type { ImportPlan, PlannedMemo, PlannedNamed } from "./plan";
import type { ImportSession } from "./session";
import { recordProgress, storedKey } from "./session";

/** What one run did: created items by kind, and what it left out (with the parser's own skips). */
export interface ApplyResult {
  created: Record<
    "categories" | "tags" | "attachments" | "memos" | "links" | "conversations" | "dailyPicks" | "pushRules",
    number
  >;
  /** Items an earlier run of the same file had finished. */
  alreadyDone: number;
  done: number;
  skipped: ImportSkip[];
}

const MEMO_BATCH = 100;

type IdTable = MySqlTable & { id: AnyMySqlColumn; uid: AnyMySqlColumn };

/** Which of these ids exist, and whose they are. */
async function owners(db: Executor, table: IdTable, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = (await db
    .select({ id: table.id, uid: table.uid })
    .from(table)
    .where(inArray(table.id, ids))) as { id: string; uid: string }[];
  return new Map(rows.map((row) => [row.id, row.uid]));
}

/** Writes a plan for a user, item by item, skipping what the session already finished. */
export class PlanWriter {
  private readonly ids = new Map<string, string>();
  private readonly categoryIds = new Map<string, string>();
  private readonly result: ApplyResult = {
    created: {
      categories: 0,
      tags: 0,
      attachments: 0,
      memos: 0,
      links: 0,
      conversations: 0,
      dailyPicks: 0,
      pushRules: 0,
    },
    alreadyDone: 0,
    done: 0,
    skipped: [],
  };
  private lastProgress = 0;

  constructor(
    private readonly deps: ApiDeps,
    private readonly uid: string,
    private readonly plan: ImportPlan,
    private readonly session: ImportSession,
    private readonly openFile: (
      file: ImportPlan["attachments"][number]["file"],
    ) => Promise<NodeJS.ReadableStream>,
  ) {
    this.result.skipped.push(...plan.skipped);
  }

  async run(): Promise<ApplyResult> {
    await this.loadCategories();
    for (const category of this.plan.categories) await this.category(category);
    for (const tag of this.plan.tags) await this.tag(tag);
    for (const attachment of this.plan.attachments) await this.attachment(attachment);
    for (let i = 0; i < this.plan.memos.length; i += MEMO_BATCH)
      await this.memos(this.plan.memos.slice(i, i + MEMO_BATCH));
    await this.links();
    for (const conversation of this.plan.conversations) await this.conversation(conversation);
    for (const pick of this.plan.dailyPicks) await this.dailyPick(pick);
    for (const rule of this.plan.pushRules) await this.pushRule(rule);
    return this.result;
  }

  private skip(item: string, reason: string) {
    this.result.skipped.push({ item, reason });
  }

  /** Whether an earlier run finished this key; its id then stands for the key. */
  private finished(key: string): boolean {
    const stored = storedKey(key);
    if (!this.session.done.has(stored)) return false;
    const target = this.session.done.get(stored);
    if (target) this.ids.set(key, target);
    this.result.alreadyDone++;
    this.result.done++;
    return true;
  }

  private async markDone(tx: Executor, key: string, targetId: string | null) {
    await tx
      .insert(importItems)
      .values({ sessionId: this.session.id, itemKey: storedKey(key), targetId })
      .onDuplicateKeyUpdate({ set: { targetId } });
    if (targetId) this.ids.set(key, targetId);
  }

  /** Counts finished items; the session row hears of it at most once a second. */
  private async progress(count = 1) {
    this.result.done += count;
    if (Date.now() - this.lastProgress < 1_000) return;
    this.lastProgress = Date.now();
    await recordProgress(this.deps.db, this.session.id, this.result.done, this.result.skipped);
  }

  private async loadCategories() {
    this.categoryIds.clear();
    const rows = await this.deps.db
      .select({ id: categories.id, name: categories.name })
      .from(categories)
      .where(eq(categories.uid, this.uid));
    for (const row of rows) this.categoryIds.set(row.name.toLowerCase(), row.id);
  }

  /** A kept id when no row anywhere has it, else a new one. */
  private async keptId(
    tx: Executor,
    table: IdTable,
    id: string | undefined,
    kind: Parameters<typeof createId>[0],
  ) {
    return id && !(await owners(tx, table, [id])).has(id) ? id : createId(kind);
  }

  private async category(category: PlannedNamed) {
    if (this.finished(category.key)) return;
    const existing = this.categoryIds.get(category.name.toLowerCase());
    await withTransaction(this.deps.db, async (tx) => {
      let id = existing;
      if (!id) {
        id = await this.keptId(tx, categories, category.id, "category");
        await tx.insert(categories).values({
          id,
          uid: this.uid,
          name: category.name,
          color: category.color ?? null,
          createdAt: category.createdAt,
          updatedAt: category.updatedAt,
        });
        this.result.created.categories++;
      }
      await this.markDone(tx, category.key, id);
      this.categoryIds.set(category.name.toLowerCase(), id);
    });
    await this.progress();
  }

  /** The id of a category by name, created when the user has none of that name. */
  private async categoryId(tx: Transaction, name: string | undefined): Promise<string | null> {
    if (!name) return null;
    const known = this.categoryIds.get(name.toLowerCase());
    if (known) return known;
    const [inserted] = await tx
      .insert(categories)
      .ignore()
      .values({ id: createId("category"), uid: this.uid, name });
    if (inserted.affectedRows > 0) this.result.created.categories++;
    const [row] = await tx
      .select({ id: categories.id })
      .from(categories)
      .where(and(eq(categories.uid, this.uid), eq(categories.name, name)));
    this.categoryIds.set(name.toLowerCase(), row!.id);
    return row!.id;
  }

  private async tag(tag: PlannedNamed) {
    if (this.finished(tag.key)) return;
    await withTransaction(this.deps.db, async (tx) => {
      const id = await this.keptId(tx, tags, tag.id, "tag");
      const [inserted] = await tx
        .insert(tags)
        .ignore()
        .values({
          id,
          uid: this.uid,
          name: tag.name,
          color: tag.color ?? null,
          createdAt: tag.createdAt,
          updatedAt: tag.updatedAt,
        });
      if (inserted.affectedRows > 0) this.result.created.tags++;
      await this.markDone(tx, tag.key, null);
    });
    await this.progress();
  }

  private async attachment(attachment: ImportPlan["attachments"][number]) {
    if (this.finished(attachment.key)) return;
    const label = `attachment ${attachment.filename}`;
    const owner = attachment.id
      ? (await owners(this.deps.db, attachments, [attachment.id])).get(attachment.id)
      : undefined;
    if (owner === this.uid) {
      this.ids.set(attachment.key, attachment.id!);
      this.skip(label, "already in this account");
      return this.progress();
    }
    const settings = this.deps.attachments;
    if (attachment.file.size > settings.maxFileSize) {
      this.skip(label, `larger than ${settings.maxFileSize} bytes (ATTACHMENT_MAX_FILE_SIZE)`);
      return this.progress();
    }
    await mkdir(settings.tmpDir, { recursive: true });
    const filePath = join(settings.tmpDir, `aimo-import-${randomUUID()}`);
    try {
      await pipeline(await this.openFile(attachment.file), createWriteStream(filePath, { flags: "wx" }));
      // A type for files whose format gave none (flomo's, a Markdown folder's), from the name's extension.
      const mimeType = attachment.mimeType ?? (lookup(attachment.filename) || "application/octet-stream");
      const created = await attachmentService.create(
        this.deps,
        this.uid,
        { filePath, filename: attachment.filename, mimeType, size: attachment.file.size },
        { id: owner === undefined ? attachment.id : undefined, createdAt: attachment.createdAt },
      );
      await this.markDone(this.deps.db, attachment.key, created.id);
      this.result.created.attachments++;
    } catch (error) {
      const mapped = toTRPCError(error);
      if (mapped.code === "INTERNAL_SERVER_ERROR") throw error;
      this.skip(label, mapped.message);
    } finally {
      await rm(filePath, { force: true });
    }
    await this.progress();
  }

  private async memos(batch: PlannedMemo[]) {
    const pending = batch.filter((memo) => !this.finished(memo.key));
    const found = await owners(
      this.deps.db,
      memos,
      pending.flatMap((memo) => (memo.id ? [memo.id] : [])),
    );
    const fresh: PlannedMemo[] = [];
    for (const memo of pending) {
      if (memo.id && found.get(memo.id) === this.uid) {
        this.ids.set(memo.key, memo.id);
        this.skip(`memo ${memo.id}`, "already in this account");
        await this.progress();
      } else fresh.push(memo);
    }
    const written: string[] = [];
    try {
      await withTransaction(this.deps.db, async (tx) => {
        for (const memo of fresh)
          written.push(
            await this.memo(tx, memo, memo.id && !found.has(memo.id) ? memo.id : createId("memo")),
          );
      });
    } catch {
      // One bad memo fails only itself: the batch is written again one memo at a time, forgetting the ids
      // and categories the rolled-back transaction had noted.
      written.length = 0;
      for (const memo of fresh) this.ids.delete(memo.key);
      await this.loadCategories();
      for (const memo of fresh) {
        try {
          await withTransaction(this.deps.db, async (tx) => {
            written.push(
              await this.memo(tx, memo, memo.id && !found.has(memo.id) ? memo.id : createId("memo")),
            );
          });
        } catch (error) {
          this.ids.delete(memo.key);
          await this.loadCategories();
          this.skip(`memo ${memo.id ?? memo.key}`, toTRPCError(error).message);
        }
      }
    }
    this.result.created.memos += written.length;
    await this.progress(fresh.length);
    await applyNow(this.deps, memoJobs, written, this.deps.config.vectorDeadlineMs);
  }

  /** One memo through the memo row model: the row, its tag rows and recount, and its vector work. */
  private async memo(tx: Transaction, memo: PlannedMemo, id: string): Promise<string> {
    const attachmentIds: string[] = [];
    for (const key of memo.attachments) {
      const attachmentId = this.ids.get(key);
      if (attachmentId) attachmentIds.push(attachmentId);
      else
        this.skip(
          `memo ${memo.id ?? memo.key}`,
          `its attachment ${key.replace(/^\w+:/, "")} was not imported`,
        );
    }
    const tagIds = await resolveTagIds(tx, this.uid, [], memo.tags);
    await tx.insert(memos).values({
      id,
      uid: this.uid,
      content: memo.content,
      type: memo.type,
      source: memo.source ?? null,
      categoryId: await this.categoryId(tx, memo.category),
      attachmentIds,
      isPublic: memo.isPublic,
      createdAt: memo.createdAt,
      updatedAt: memo.updatedAt,
    });
    if (tagIds.length) {
      await tx.insert(memoTags).values(memoTagRows(id, this.uid, tagIds));
      await recountTags(tx, tagIds);
    }
    await enqueueVectorWork(tx, [{ uid: this.uid, target: "memo", targetId: id, op: "upsert" }]);
    await this.markDone(tx, memo.key, id);
    return id;
  }

  /** Links once every memo has its id: insert-if-absent, so a re-run adds none twice. */
  private async links() {
    const rows: (typeof memoRelations.$inferInsert)[] = [];
    for (const memo of this.plan.memos) {
      const source = this.ids.get(memo.key);
      if (!source) continue;
      for (const link of memo.links) {
        const target = this.ids.get(link.key);
        if (!target || target === source) {
          this.skip(`link from ${memo.id ?? memo.key}`, "its target memo is not in the import");
          continue;
        }
        rows.push({
          id: createId("relation"),
          uid: this.uid,
          sourceMemoId: source,
          targetMemoId: target,
          createdAt: link.createdAt,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 500) {
      const [result] = await this.deps.db
        .insert(memoRelations)
        .ignore()
        .values(rows.slice(i, i + 500));
      this.result.created.links += result.affectedRows;
    }
  }

  private async conversation(conversation: ImportPlan["conversations"][number]) {
    if (this.finished(conversation.key)) return;
    await withTransaction(this.deps.db, async (tx) => {
      const id = await this.keptId(tx, aiConversations, conversation.id, "conversation");
      await tx.insert(aiConversations).values({
        id,
        uid: this.uid,
        title: conversation.title,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
      });
      const taken = await owners(
        tx,
        aiMessages,
        conversation.messages.map((message) => message.id),
      );
      if (conversation.messages.length) {
        await tx.insert(aiMessages).values(
          conversation.messages.map((message) => ({
            id: taken.has(message.id) ? createId("message") : message.id,
            conversationId: id,
            uid: this.uid,
            role: message.role,
            content: message.content,
            sources: message.sources.map((source) => ({
              ...source,
              memoId: this.ids.get(source.memoId) ?? source.memoId.replace(/^memo:/, ""),
            })),
            createdAt: message.createdAt,
          })),
        );
      }
      await this.markDone(tx, conversation.key, id);
    });
    this.result.created.conversations++;
    await this.progress();
  }

  private async dailyPick(pick: ImportPlan["dailyPicks"][number]) {
    if (this.finished(pick.key)) return;
    const memoIds = pick.memoKeys.flatMap((key) => this.ids.get(key) ?? []);
    await withTransaction(this.deps.db, async (tx) => {
      const [inserted] = await tx
        .insert(dailyRecommendations)
        .ignore()
        .values({
          id: createId("recommendation"),
          uid: this.uid,
          date: pick.date,
          memoIds,
          createdAt: pick.createdAt,
        });
      if (inserted.affectedRows > 0) this.result.created.dailyPicks++;
      else this.skip(`daily picks of ${pick.date}`, "this account has picks for that day");
      await this.markDone(tx, pick.key, null);
    });
    await this.progress();
  }

  private async pushRule(rule: ImportPlan["pushRules"][number]) {
    if (this.finished(rule.key)) return;
    // Exports leave webhook URLs and secrets out: a rule whose channels need one stays off until it is set.
    const usable = rule.channels.every((channel) => channel.type === "meow" || channel.webhookUrl);
    if (rule.enabled && !usable)
      this.skip(`push rule ${rule.name}`, "imported turned off: set its webhook URL again to turn it on");
    await withTransaction(this.deps.db, async (tx) => {
      const id = await this.keptId(tx, pushRules, rule.id, "pushRule");
      await tx.insert(pushRules).values({
        id,
        uid: this.uid,
        name: rule.name,
        pushTime: rule.pushTime,
        contentType: rule.contentType,
        channels: rule.channels,
        enabled: rule.enabled && usable,
        createdAt: rule.createdAt,
        updatedAt: rule.updatedAt,
      });
      await this.markDone(tx, rule.key, id);
    });
    this.result.created.pushRules++;
    await this.progress();
  }
}

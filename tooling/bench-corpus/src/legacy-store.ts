/**
 * Writes a corpus as a legacy AIMO store (the LanceDB-only generation, see shared/legacy-format.md): users who
 * log in with BENCH_PASSWORD, their categories and tags, the memos with their embeddings and the text
 * embedding cache, the links as memo_relations, and the other tables empty. Memos are streamed in batches, so
 * 100,000 of them never sit in memory at once.
 */
import { createHash } from "node:crypto";

import { connect, makeArrowTable } from "@lancedb/lancedb";
import bcrypt from "bcryptjs";

import type { Corpus } from "./corpus";
import { BENCH_PASSWORD } from "./corpus";
import { legacySchemas } from "./legacy-schemas";

export interface LegacyStoreOptions {
  /** Rows per LanceDB `add`: each add makes a fragment, as the legacy app's writes did. */
  addBatch?: number;
  /** Also write every memo's embedding to embedding_cache, as the legacy app did on each create. */
  embeddingCache?: boolean;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** The legacy app's default cost. */
const BCRYPT_ROUNDS = 10;

export async function writeLegacyCorpus(dir: string, corpus: Corpus, options: LegacyStoreOptions = {}) {
  const { dims } = corpus.settings;
  const addBatch = options.addBatch ?? 2000;
  const schemas = legacySchemas(dims, false);
  const db = await connect(dir);
  const tables = Object.fromEntries(
    await Promise.all(
      (Object.keys(schemas) as (keyof typeof schemas)[]).map(
        async (name) => [name, await db.createEmptyTable(name, schemas[name])] as const,
      ),
    ),
  ) as Record<keyof typeof schemas, Awaited<ReturnType<typeof db.createEmptyTable>>>;
  const add = async (name: keyof typeof schemas, rows: Record<string, unknown>[]) => {
    if (rows.length) await tables[name].add(makeArrowTable(rows, { schema: schemas[name] }));
  };

  await add(
    "users",
    corpus.users.map((u) => {
      const password = bcrypt.hashSync(BENCH_PASSWORD, BCRYPT_ROUNDS);
      return {
        uid: u.uid,
        email: u.email,
        phone: null,
        password,
        salt: password.slice(0, 29),
        nickname: u.nickname,
        avatar: null,
        status: 1,
        createdAt: u.createdAt,
        updatedAt: u.createdAt,
      };
    }),
  );
  await add(
    "categories",
    corpus.users.flatMap((u) =>
      u.categories.map((c) => ({
        categoryId: c.id,
        uid: u.uid,
        name: c.name,
        color: c.color,
        createdAt: u.createdAt,
        updatedAt: u.createdAt,
      })),
    ),
  );

  const modelHash = sha256(`text-embedding-3-small:${dims}`);
  const usage = new Map<string, number>();
  let memos: Record<string, unknown>[] = [];
  let cache: Record<string, unknown>[] = [];
  let relations: Record<string, unknown>[] = [];
  let relationCount = 0;
  const flush = async (force: boolean) => {
    if (force || memos.length >= addBatch) {
      await add("memos", memos);
      await add("embedding_cache", cache);
      memos = [];
      cache = [];
    }
    if (force || relations.length >= addBatch) {
      await add("memo_relations", relations);
      relations = [];
    }
  };
  for (const memo of corpus.memos()) {
    const embedding = Array.from(memo.vector);
    memos.push({
      memoId: memo.id,
      uid: memo.uid,
      categoryId: memo.categoryId,
      content: memo.content,
      type: memo.type,
      source: memo.source,
      attachments: null,
      // The legacy app stored "no tags" as NULL, never [].
      tagIds: memo.tagIds.length ? memo.tagIds : null,
      embedding,
      createdAt: memo.createdAt,
      updatedAt: memo.updatedAt,
      isPublic: memo.isPublic,
    });
    if (options.embeddingCache ?? true)
      cache.push({ modelHash, contentHash: sha256(memo.content), embedding, createdAt: memo.createdAt });
    for (const tagId of memo.tagIds) usage.set(tagId, (usage.get(tagId) ?? 0) + 1);
    for (const target of memo.links) {
      relations.push({
        relationId: `r${memo.id.slice(1)}${relationCount++}`,
        uid: memo.uid,
        sourceMemoId: memo.id,
        targetMemoId: target,
        createdAt: memo.createdAt,
      });
    }
    await flush(false);
  }
  await flush(true);
  await add(
    "tags",
    corpus.users.flatMap((u) =>
      u.tags.map((t) => ({
        tagId: t.id,
        uid: u.uid,
        name: t.name,
        color: null,
        usageCount: usage.get(t.id) ?? 0,
        createdAt: u.createdAt,
        updatedAt: u.createdAt,
      })),
    ),
  );
  await add("table_migrations", [
    { tableName: "memos", currentVersion: 16, lastMigratedAt: Date.UTC(2019, 0, 1) },
  ]);
  for (const table of Object.values(tables)) table.close();
  db.close();
  return { relations: relationCount };
}

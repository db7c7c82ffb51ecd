/**
 * The API benchmark's corpus: the bench corpus's users (@aimo/bench-corpus) registered through the API with its
 * password, and their memos, categories, tags, links, keyword terms and vectors written behind it in
 * multi-row INSERTs, then indexed. Vectors come from the server's embedder, so that a query's embedding and the
 * memos' agree as they do in production. `seed.ts` runs it in a process of its own.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { createLocalEmbedder } from "@aimo/ai";
import type { Corpus, CorpusMemo } from "@aimo/bench-corpus";
import { BENCH_PASSWORD } from "@aimo/bench-corpus";
import { categories, createId, memoRelations, memos, memoTags, tags } from "@aimo/db";
import type { ScratchDatabase } from "@aimo/db/testing";
import pino from "pino";

import { startServer } from "../src/app";
import type { ServerEnv } from "../src/env";
import { openStores } from "../src/stores";

export interface BenchAccount {
  uid: string;
  token: string;
  memoCount: number;
}

const BATCH = 2000;

/**
 * The server's variables for a bench: the scratch database, a LanceDB directory, the embedder's dimensions
 * and a fixed JWT secret. The pool keeps its shipped size (10): on two cores 10 connections served memo.list
 * faster than 20 (963 against 815–875 req/s under 20 clients). Strings, as a child process's
 * environment takes them; `serverEnvSchema.parse` them for a server in the bench's own process.
 */
export const benchServerEnv = (
  scratch: ScratchDatabase,
  lancedb: string,
  dims: number,
): Record<string, string> => ({
  MYSQL_HOST: scratch.config.host,
  MYSQL_PORT: String(scratch.config.port),
  MYSQL_USER: scratch.config.user,
  MYSQL_PASSWORD: scratch.config.password,
  MYSQL_DATABASE: scratch.config.database,
  LANCEDB_URI: lancedb,
  EMBEDDING_DIMENSIONS: String(dims),
  JWT_SECRET: "bench-secret-bench-secret-bench-secret",
});

/** Registers the corpus's users and writes their data; accounts come back in the corpus's user order. */
export async function seedCorpus(env: ServerEnv, corpus: Corpus): Promise<BenchAccount[]> {
  const logger = pino({ level: "silent" });
  const aimo = await startServer(env, logger);
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${aimo.url}/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: body }),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
  };
  const accounts: BenchAccount[] = [];
  for (const user of corpus.users) {
    const { user: registered, token } = await call<{ user: { uid: string }; token: string }>(
      "auth.register",
      {
        email: user.email,
        password: BENCH_PASSWORD,
      },
    );
    accounts.push({ uid: registered.uid, token, memoCount: user.memoCount });
  }
  await aimo.stop();

  const uidOf = new Map(corpus.users.map((u, i) => [u.uid, accounts[i]!.uid]));
  const stores = await openStores(env, logger);
  const { db } = stores.dbHandle;
  const embedder = createLocalEmbedder(env.EMBEDDING_DIMENSIONS);
  await db
    .insert(categories)
    .values(
      corpus.users.flatMap((u) =>
        u.categories.map((c) => ({ id: c.id, uid: uidOf.get(u.uid)!, name: c.name, color: c.color })),
      ),
    );
  await db
    .insert(tags)
    .values(
      corpus.users.flatMap((u) => u.tags.map((t) => ({ id: t.id, uid: uidOf.get(u.uid)!, name: t.name }))),
    );
  const write = async (batch: CorpusMemo[]) => {
    const rows = batch.map((m) => ({
      id: m.id,
      uid: uidOf.get(m.uid)!,
      categoryId: m.categoryId,
      content: m.content,
      type: m.type ?? "text",
      source: m.source,
      attachmentIds: [],
      isPublic: m.isPublic,
      createdAt: new Date(m.createdAt),
      updatedAt: new Date(m.updatedAt),
    }));
    await db.insert(memos).values(rows);
    const tagged = batch.flatMap((m) =>
      m.tagIds.map((tagId, position) => ({ memoId: m.id, tagId, uid: uidOf.get(m.uid)!, position })),
    );
    if (tagged.length) await db.insert(memoTags).values(tagged);
    const links = batch.flatMap((m) =>
      m.links.map((target) => ({
        id: createId("relation"),
        uid: uidOf.get(m.uid)!,
        sourceMemoId: m.id,
        targetMemoId: target,
      })),
    );
    if (links.length) await db.insert(memoRelations).values(links);
    await stores.vectors.memoTexts.add(rows.map((r) => ({ id: r.id, uid: r.uid, text: r.content })));
    const vectors = await embedder.embed(rows.map((r) => r.content));
    await stores.vectors.memos.add(rows.map((r, i) => ({ id: r.id, uid: r.uid, vector: vectors[i]! })));
  };
  let batch: CorpusMemo[] = [];
  for (const memo of corpus.memos({ withVectors: false })) {
    batch.push(memo);
    if (batch.length === BATCH) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length) await write(batch);
  await stores.dbHandle.pool.query(
    "UPDATE tags SET usage_count = (SELECT COUNT(*) FROM memo_tags WHERE memo_tags.tag_id = tags.id)",
  );
  await stores.vectors.maintain();
  await stores.close();
  return accounts;
}

/**
 * Runs a bench script (a file of this folder) in a node process of its own with the server's environment plus
 * `extra`, and returns what it printed.
 */
export async function runBenchScript(
  script: string,
  serverEnv: Record<string, string>,
  extra: Record<string, string>,
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL(script, import.meta.url))],
    // MYSQL_URL would win over the scratch database's parts: empty means unset.
    { env: { ...process.env, MYSQL_URL: "", ...serverEnv, ...extra }, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/**
 * Seeds BENCH_MEMOS memos of BENCH_USERS users with seed.ts in a process of its own (building 100k memos in
 * memory leaves a heap that would slow every collection of the measuring process), into the database and LanceDB
 * location that `serverEnv` (the server's variables) names. Answers the accounts.
 */
export async function seedInChildProcess(
  serverEnv: Record<string, string>,
  memoCount: number,
  userCount: number,
): Promise<BenchAccount[]> {
  const stdout = await runBenchScript("./seed.ts", serverEnv, {
    BENCH_MEMOS: String(memoCount),
    BENCH_USERS: String(userCount),
  });
  return JSON.parse(stdout) as BenchAccount[];
}

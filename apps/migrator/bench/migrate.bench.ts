/**
 * Migrator throughput on a legacy store of N memos with 1536-dim embeddings (plus the fixture's other
 * tables), next to a baseline in the same process that writes the same memo rows with plain multi-row
 * INSERTs and one LanceDB `add` per batch. Peak RSS is measured in a child process per size, to show it
 * stays flat as the source grows. BENCH_SIZES (default "20000,100000"), BENCH_BATCH (1000), BENCH_DIMS (1536).
 */
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { mkdtempSync } from "node:fs";

import { openScratchDatabase } from "@aimo/db";
import { openVectorStore } from "@aimo/vectors";
import { connect, Index, makeArrowTable } from "@lancedb/lancedb";
import { Field, FixedSizeList, Float32, Schema, Utf8 } from "apache-arrow";

import { writeLegacyStore } from "../src/fixtures/legacy-store";
import { openLegacySource } from "../src/legacy/reader";
import { ALL_TABLES, migrateLegacy } from "../src/migrate";

const dims = Number(process.env.BENCH_DIMS ?? 1536);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);

async function runOnce(size: number, sourceDir: string) {
  const scratch = await openScratchDatabase(`bench_migrator_${size}`);
  const lancedb = mkdtempSync(join(tmpdir(), "aimo-bench-target-"));
  const vectors = await openVectorStore({
    uri: lancedb,
    versionRetentionDays: 7,
    embeddingModel: "text-embedding-3-small",
    embeddingDimensions: dims,
    multimodalModel: "qwen3-vl-embedding",
    multimodalDimensions: 1024,
  });
  const source = await openLegacySource(sourceDir);
  const started = performance.now();
  const report = await migrateLegacy(source, scratch, vectors, {
    tables: ALL_TABLES,
    batchSize,
    retries: 3,
    dryRun: false,
  });
  const migrateSeconds = (performance.now() - started) / 1000;
  // The migrator's own peak, before the baseline runs in this process.
  const migratorPeakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  const rows = report.tables.reduce((n, t) => n + t.migrated, 0);

  // Baseline: the same memo rows in plain multi-row INSERTs into a fresh table, and one LanceDB add per batch
  // of their vectors and of their text, which gets a full-text index at the end.
  await scratch.pool.query("CREATE TABLE baseline_memos LIKE memos");
  const db = await connect(mkdtempSync(join(tmpdir(), "aimo-bench-baseline-")));
  const schema = new Schema([
    new Field("memoId", new Utf8(), false),
    new Field("uid", new Utf8(), false),
    new Field("embedding", new FixedSizeList(dims, new Field("item", new Float32(), true)), false),
  ]);
  const table = await db.createEmptyTable("memo_vectors", schema);
  const texts = await db.createEmptyTable(
    "memo_texts",
    new Schema([
      new Field("memoId", new Utf8(), false),
      new Field("uid", new Utf8(), false),
      new Field("content", new Utf8(), false),
    ]),
  );
  const baselineStarted = performance.now();
  let baselineRows = 0;
  for await (const batch of source.batches("memos", batchSize)) {
    await scratch.pool.query(
      "INSERT INTO baseline_memos (id, uid, category_id, content, type, source, attachment_ids, is_public, created_at, updated_at) VALUES ?",
      [
        batch.map((r) => [
          r.memoId,
          r.uid,
          null,
          r.content,
          "text",
          r.source,
          "[]",
          r.isPublic ? 1 : 0,
          new Date(r.createdAt as number),
          new Date(r.updatedAt as number),
        ]),
      ],
    );
    await texts.add(batch.map((r) => ({ memoId: r.memoId, uid: r.uid, content: r.content })));
    await table.add(
      makeArrowTable(
        batch.map((r) => ({
          memoId: r.memoId,
          uid: r.uid,
          embedding: Array.from(r.embedding as Float32Array),
        })),
        { schema },
      ),
    );
    baselineRows += batch.length;
  }
  await texts.createIndex("content", { config: Index.fts() });
  const baselineSeconds = (performance.now() - baselineStarted) / 1000;
  source.close();
  await vectors.close();
  await scratch.drop();
  await rm(sourceDir, { recursive: true, force: true });
  await rm(lancedb, { recursive: true, force: true });
  return {
    size,
    migratedRows: rows,
    migratorRowsPerSecond: Math.round(rows / migrateSeconds),
    memoRowsPerSecond: Math.round(size / migrateSeconds),
    baselineMemoRowsPerSecond: Math.round(baselineRows / baselineSeconds),
    migratorPeakRssMiB,
  };
}

if (process.argv[2] === "--generate") {
  await writeLegacyStore(process.argv[3]!, { dims, bulkMemos: Number(process.argv[4]), addBatch: 5000 });
  process.exit(0);
}
if (process.argv[2] === "--migrate") {
  const result = await runOnce(Number(process.argv[4]), process.argv[3]!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const sizes = (process.env.BENCH_SIZES ?? "20000,100000").split(",").map(Number);
// The fixture is written by one child and migrated by another, so the peak RSS is the migrator's own.
const child = (...args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
const results = sizes.map((size) => {
  const sourceDir = mkdtempSync(join(tmpdir(), "aimo-bench-legacy-"));
  child("--generate", sourceDir, String(size));
  const out = child("--migrate", sourceDir, String(size));
  return JSON.parse(out.trim().split("\n").pop()!) as Awaited<ReturnType<typeof runOnce>>;
});
console.table(
  Object.fromEntries(
    results.map((r) => [
      `${r.size} memos`,
      {
        "migrator memos/s": r.memoRowsPerSecond,
        "baseline memos/s": r.baselineMemoRowsPerSecond,
        ratio: `${Math.round((r.memoRowsPerSecond / r.baselineMemoRowsPerSecond) * 100)}%`,
        "migrator peak RSS MiB": r.migratorPeakRssMiB,
      },
    ]),
  ),
);
console.log(
  `goal: migrator >= 70% of the baseline; peak memory flat as the source grows (${dims} dims, batch ${batchSize})`,
);

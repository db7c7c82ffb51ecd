/**
 * Migrator throughput on the realistic bench corpus (@aimo/bench-corpus) written as a legacy store of N memos
 * with 1536-dim embeddings, the embedding cache, tags, categories and links. Round after round it alternates
 * with a baseline that writes the same memo rows with plain multi-row INSERTs, and their vectors and text with
 * one LanceDB `add` per batch, then indexes the text (full-text) and the vectors (IVF_FLAT), as the migrator
 * ends. The migrator is the built `migrate:data` (dist/main.js, built by the bench script), whose phases run in
 * processes of their own: its peak RSS is the sum over its process tree. The baseline runs in one child process,
 * its peak RSS its own. Prints the corpus and what the migration left in the target: the largest MySQL tables
 * and LanceDB tables (where the keyword index shows).
 * BENCH_SIZES (default "20000,100000"), BENCH_ROUNDS (2), BENCH_BATCH (1000), BENCH_DIMS (1536).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

import { createCorpus, describeCorpus, writeLegacyCorpus } from "@aimo/bench-corpus";
import type { ScratchDatabase } from "@aimo/db/testing";
import { openScratchDatabase } from "@aimo/db/testing";
import { connect, Index, makeArrowTable } from "@lancedb/lancedb";
import { Field, FixedSizeList, Float32, Schema, Utf8 } from "apache-arrow";

import { openLegacySource } from "../src/legacy/reader";
import type { MigrationReport } from "../src/migrate";
import { openTarget } from "../test/helpers";

const dims = Number(process.env.BENCH_DIMS ?? 1536);
const batchSize = Number(process.env.BENCH_BATCH ?? 1000);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 2);
const corpusOf = (size: number) => createCorpus({ memos: size, dims });
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const peakRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  return total;
}

/** The target's largest MySQL tables, with exact row counts. */
async function largestTables(scratch: ScratchDatabase) {
  const [names] = (await scratch.pool.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()",
  )) as unknown as [{ name: string }[]];
  await scratch.pool.query(`ANALYZE TABLE ${names.map((t) => `\`${t.name}\``).join(", ")}`);
  const [sizes] = (await scratch.pool.query(
    "SELECT table_name AS name, data_length AS data, index_length AS indexes FROM information_schema.tables " +
      "WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC LIMIT 4",
  )) as unknown as [{ name: string; data: number; indexes: number }[]];
  return Promise.all(
    sizes.map(async (t) => {
      const [[{ n }]] = (await scratch.pool.query(`SELECT COUNT(*) AS n FROM \`${t.name}\``)) as unknown as [
        [{ n: number }],
      ];
      return `${t.name}: ${n} rows, ${mib(t.data)} MiB data + ${mib(t.indexes)} MiB indexes`;
    }),
  );
}

/** The target's largest LanceDB tables on disk, indexes included. */
async function lanceTables(dir: string) {
  const tables = await Promise.all(
    (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => ({ name: entry.name, bytes: await diskBytes(join(dir, entry.name)) })),
  );
  return tables
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4)
    .map((t) => `LanceDB ${t.name}: ${mib(t.bytes)} MiB`);
}

/** The RSS of a process and of each of its descendants, from /proc. */
async function treeRss(root: number): Promise<Map<number, number>> {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // A process that ended meanwhile has no status.
    const status = await readFile(`/proc/${entry}/status`, "utf8").catch(() => "");
    const ppid = /^PPid:\s+(\d+)/m.exec(status);
    const resident = /^VmRSS:\s+(\d+) kB/m.exec(status);
    if (ppid) parents.set(Number(entry), Number(ppid[1]));
    if (resident) rss.set(Number(entry), Number(resident[1]) * 1024);
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && inTree(parents.get(pid) ?? 0));
  return new Map([...rss].filter(([pid]) => inTree(pid)));
}

/**
 * The built `migrate:data` (dist/main.js), as operators run it: its phases run in processes of their own, so
 * its peak RSS is the largest sum over the process tree, sampled every 50 ms.
 */
async function migrateOnce(size: number, sourceDir: string) {
  const target = await openTarget(`bench_migrator_${size}`, dims);
  const reportFile = join(target.lancedb, "..", `${basename(target.lancedb)}-report.json`);
  try {
    const { config } = target.db;
    const started = performance.now();
    const cli = spawn(
      process.execPath,
      [
        fileURLToPath(new URL("../dist/main.js", import.meta.url)),
        "--source",
        sourceDir,
        "--batch-size",
        String(batchSize),
        "--report",
        reportFile,
      ],
      {
        env: {
          ...process.env,
          MYSQL_URL: `mysql://${config.user}${config.password ? `:${config.password}` : ""}@${config.host}:${config.port}/${config.database}`,
          LANCEDB_URI: target.lancedb,
        },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((resolve) => cli.on("exit", resolve));
    let peak = 0;
    // Each process's own peak, in the order they started: main.ts, then its phases.
    const peaks = new Map<number, number>();
    let running = true;
    void exited.then(() => (running = false));
    while (running) {
      const tree = await treeRss(cli.pid!);
      peak = Math.max(
        peak,
        [...tree.values()].reduce((a, b) => a + b, 0),
      );
      for (const [pid, bytes] of tree) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, bytes));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const code = await exited;
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`migrate:data exited with ${code}`);
    const report = JSON.parse(await readFile(reportFile, "utf8")) as MigrationReport;
    const rows = report.tables.reduce((n, t) => n + t.migrated, 0);
    return {
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
      memosPerSecond: Math.round(size / seconds),
      peakRssMiB: mib(peak),
      peakRssByProcess: [...peaks.values()].map(mib).join(" / "),
      failed: report.tables.reduce((n, t) => n + t.failed, 0),
      target: [...(await largestTables(target.db)), ...(await lanceTables(target.lancedb))],
    };
  } finally {
    await rm(reportFile, { force: true });
    await target.close();
  }
}

/**
 * The same memo rows in plain multi-row INSERTs into a fresh table, and one LanceDB add per batch of their vectors
 * and of their text; at the end the text gets a full-text index and the vectors an IVF_FLAT index.
 */
async function baselineOnce(size: number, sourceDir: string) {
  const scratch = await openScratchDatabase(`bench_migrator_baseline_${size}`);
  const lancedb = mkdtempSync(join(tmpdir(), "aimo-bench-baseline-"));
  try {
    await scratch.pool.query("CREATE TABLE baseline_memos LIKE memos");
    const db = await connect(lancedb);
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
    const source = await openLegacySource(sourceDir);
    try {
      const started = performance.now();
      let rows = 0;
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
        rows += batch.length;
      }
      await texts.createIndex("content", { config: Index.fts() });
      // The vector index the migrator ends with, trained the same way (see maintain.ts in @aimo/vectors).
      await table.createIndex("embedding", {
        config: Index.ivfFlat({ distanceType: "cosine", maxIterations: 10, sampleRate: 64 }),
      });
      const seconds = (performance.now() - started) / 1000;
      return { seconds, memosPerSecond: Math.round(rows / seconds), peakRssMiB: peakRssMiB() };
    } finally {
      source.close();
      table.close();
      texts.close();
      db.close();
    }
  } finally {
    await scratch.drop();
    await rm(lancedb, { recursive: true, force: true });
  }
}

const [mode, sourceArg, sizeArg] = process.argv.slice(2);
if (mode) {
  const size = Number(sizeArg);
  const result =
    mode === "--generate"
      ? await writeLegacyCorpus(sourceArg!, corpusOf(size), { addBatch: 5000 })
      : mode === "--migrate"
        ? await migrateOnce(size, sourceArg!)
        : await baselineOnce(size, sourceArg!);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

type MigrateResult = Awaited<ReturnType<typeof migrateOnce>>;
type BaselineResult = Awaited<ReturnType<typeof baselineOnce>>;
const child = <T>(...args: string[]): T => {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", new URL(import.meta.url).pathname, ...args],
    // The allocator setting `migrate:data` runs with (package.json), so the peak RSS is what operators see.
    { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, MALLOC_ARENA_MAX: "2" } },
  );
  return JSON.parse(out.trim().split("\n").pop()!) as T;
};

const sizes = (process.env.BENCH_SIZES ?? "20000,100000").split(",").map(Number);
const table: Record<string, Record<string, string | number>> = {};
const summary: string[] = [];
for (const size of sizes) {
  console.log(describeCorpus(corpusOf(size)));
  const sourceDir = mkdtempSync(join(tmpdir(), "aimo-bench-legacy-"));
  try {
    const generated = performance.now();
    child("--generate", sourceDir, String(size));
    // Written back before the rounds: the kernel's flush of a fresh store would slow whichever side ran first.
    execFileSync("sync");
    console.log(
      `legacy store written in ${((performance.now() - generated) / 1000).toFixed(0)} s (${mib(await diskBytes(sourceDir))} MiB)`,
    );
    const runs: { migrator: MigrateResult; baseline: BaselineResult }[] = [];
    // The two alternate and swap places every round: this machine's speed drifts within minutes.
    for (let round = 0; round < roundCount; round++) {
      const migrate = () => child<MigrateResult>("--migrate", sourceDir, String(size));
      const baseline = () => child<BaselineResult>("--baseline", sourceDir, String(size));
      if (round % 2) {
        const b = baseline();
        runs.push({ baseline: b, migrator: migrate() });
      } else {
        const m = migrate();
        runs.push({ migrator: m, baseline: baseline() });
      }
    }
    runs.forEach(({ migrator, baseline }, round) => {
      table[`${size} memos, round ${round + 1}`] = {
        "migrator memos/s": migrator.memosPerSecond,
        "migrator rows/s (all tables)": migrator.rowsPerSecond,
        "baseline memos/s": baseline.memosPerSecond,
        "migrator peak RSS MiB": migrator.peakRssMiB,
        "... by process: main, copy, 3 index": migrator.peakRssByProcess,
        "baseline peak RSS MiB": baseline.peakRssMiB,
        failed: migrator.failed,
      };
    });
    const over = (pick: (r: (typeof runs)[number]) => { seconds: number }) =>
      (size * runs.length) / runs.reduce((sum, r) => sum + pick(r).seconds, 0);
    summary.push(
      `${size} memos: migrator ${Math.round(over((r) => r.migrator))} memos/s, baseline ${Math.round(over((r) => r.baseline))} ` +
        `memos/s over ${runs.length} rounds (${Math.round((over((r) => r.migrator) / over((r) => r.baseline)) * 100)}%); ` +
        `target after migration: ${runs[0]!.migrator.target.join("; ")}`,
    );
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
}
console.table(table);
for (const line of summary) console.log(line);
console.log(
  `goal: >= 2,500 rows/s (all tables, every vector and posting), peak RSS <= 600 MB and flat as the source grows (${dims} dims, batch ${batchSize})`,
);

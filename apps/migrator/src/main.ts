import { writeFile } from "node:fs/promises";

import { createDb, migrate, mysqlConfigFromEnv } from "@aimo/db";
import { resolveWorkspacePath } from "@aimo/env";
import type { VectorStore } from "@aimo/vectors";
import { openVectorStore, vectorStoreConfigFromEnv } from "@aimo/vectors";
import { Command, InvalidArgumentError } from "commander";

import type { MigratorEnv } from "./env";
import { parseMigratorEnv } from "./env";
import { openLegacySource } from "./legacy/reader";
import { ALL_TABLES, migrateLegacy } from "./migrate";
import { createProgress, printSummary } from "./progress";
import { verifyMigration } from "./verify";

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("a whole number");
  return n;
};

const program = new Command()
  .name("migrate:data")
  .description("Copy a legacy LanceDB-only AIMO store into MySQL + LanceDB. The source is never written.")
  .option("--source <dirOrUri>", "legacy LanceDB directory or URI (default LEGACY_LANCEDB_PATH)")
  .option("--attachments-source <dir>", "legacy attachment directory; files are copied under the same keys")
  .option("--dry-run", "count what would be migrated; write nothing")
  .option("--table <name>", `only this table: ${ALL_TABLES.join(", ")}`)
  .option("--batch-size <n>", "records per batch", positiveInt, 1000)
  .option("--retry <n>", "retries of a failing batch, with exponential backoff", positiveInt, 3)
  .option("--verify", "compare source and target after copying (or alone, with --verify-only)")
  .option("--verify-only", "only compare source and target")
  .option("--report <file>", "write the summary and every failed record as JSON")
  .parse();

const options = program.opts<{
  source?: string;
  attachmentsSource?: string;
  dryRun?: boolean;
  table?: string;
  batchSize: number;
  retry: number;
  verify?: boolean;
  verifyOnly?: boolean;
  report?: string;
}>();

let env: MigratorEnv;
try {
  env = parseMigratorEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const givenSource = options.source ?? env.LEGACY_LANCEDB_PATH;
const sourceUri = givenSource ? resolveWorkspacePath(givenSource) : undefined;
if (!sourceUri) program.error("--source (or LEGACY_LANCEDB_PATH) is required");
if (options.table && !ALL_TABLES.includes(options.table))
  program.error(`--table must be one of: ${ALL_TABLES.join(", ")}`);
const tables = options.table ? [options.table] : ALL_TABLES;

console.log(
  `Source: ${sourceUri}\nTarget: MySQL database from MYSQL_URL/MYSQL_*, LanceDB ${resolveWorkspacePath(env.LANCEDB_URI)}`,
);
const source = await openLegacySource(sourceUri!);
const handle = await createDb(mysqlConfigFromEnv(env));
let vectors: VectorStore | null = null;
let exitCode = 0;
try {
  await migrate(handle);
  // Vector dimensions come from the source schema, never from configuration.
  const embeddingDimensions =
    (await source.dimensions("memos", "embedding")) ??
    (await source.dimensions("embedding_cache", "embedding")) ??
    env.EMBEDDING_DIMENSIONS;
  const multimodalDimensions =
    (await source.dimensions("attachments", "multimodalEmbedding")) ??
    (await source.dimensions("multimodal_embedding_cache", "embedding")) ??
    env.MULTIMODAL_EMBEDDING_DIMENSIONS;
  vectors = await openVectorStore({
    ...vectorStoreConfigFromEnv(env, {
      embeddingModel: env.OPENAI_EMBEDDING_MODEL,
      embeddingDimensions,
      multimodalModel: env.MULTIMODAL_EMBEDDING_MODEL,
      multimodalDimensions,
    }),
    // No circuit breaker: a batch copy retries each failing batch itself (--retry) rather than skip LanceDB.
    circuitCooldownMs: 0,
  });

  if (!options.verifyOnly) {
    const progress = createProgress(Boolean(process.stdout.isTTY));
    const report = await migrateLegacy(source, handle, vectors, {
      tables,
      batchSize: Math.max(1, options.batchSize),
      retries: options.retry,
      dryRun: Boolean(options.dryRun),
      ...(options.attachmentsSource
        ? {
            attachments: {
              source: resolveWorkspacePath(options.attachmentsSource),
              target: resolveWorkspacePath(env.ATTACHMENT_LOCAL_PATH),
            },
          }
        : {}),
      onTableStart: (table, total) => progress.start(table, total),
      onProgress: (summary) => progress.update(summary),
    });
    progress.stop();
    printSummary(report);
    if (options.report) await writeFile(options.report, JSON.stringify(report, null, 2));
    if (report.failures.length > 0) exitCode = 1;
  }
  if (options.verify || options.verifyOnly) {
    const verification = await verifyMigration(
      source,
      handle,
      vectors,
      tables,
      Math.max(1, options.batchSize) * 10,
    );
    console.log("\nVerification:");
    console.table(
      Object.fromEntries(
        verification.tables.map((t) => [
          t.table,
          {
            Checked: t.checked,
            Missing: t.missing.length,
            Mismatched: t.mismatched.length,
            "Without owner": t.withoutOwner.length,
          },
        ]),
      ),
    );
    for (const t of verification.tables) {
      for (const id of [...t.missing, ...t.mismatched].slice(0, 10))
        console.log(`  ${t.table} ${id}: ${t.missing.includes(id) ? "missing" : "differs"}`);
    }
    for (const [name, n] of Object.entries(verification.orphans)) console.log(`  ${name}: ${n}`);
    console.log(verification.ok ? "Verification passed." : "Verification FAILED.");
    if (!verification.ok) exitCode = 1;
  }
} finally {
  source.close();
  await vectors?.close();
  await handle.close();
}
process.exit(exitCode);

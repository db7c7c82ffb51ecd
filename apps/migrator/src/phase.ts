/**
 * One phase of `migrate:data` (main.ts runs them in turn, each in a process of its own): `copy` the tables and
 * files, with the summary and --report; `index`: compact and index the LanceDB tables, so search is fast from
 * the first request; `verify` the target against the source. Exits with a PHASE_EXIT code.
 */
import { readFile, writeFile } from "node:fs/promises";

import { createDb, migrate, mysqlConfigFromEnv } from "@aimo/db";
import { resolveWorkspacePath } from "@aimo/env";
import { openVectorStore, vectorStoreConfigFromEnv } from "@aimo/vectors";

import type { MigratorEnv } from "./env";
import type { LegacySource } from "./legacy/reader";
import type { Phase } from "./phase-codes";
import { parseMigratorOptions } from "./cli";
import { parseMigratorEnv } from "./env";
import { openLegacySource } from "./legacy/reader";
import type { MigrationReport } from "./migrate";
import { ALL_TABLES, migrateLegacy } from "./migrate";
import { PHASE_EXIT } from "./phase-codes";
import { createProgress, printMaintenance, printSummary, printVerification } from "./progress";
import { verifyMigration } from "./verify";

// The phase, the tables it maintains (index; empty otherwise), then migrate:data's own arguments.
const [phase, tableList, ...args] = process.argv.slice(2) as [Phase, string, ...string[]];
const { program, options } = parseMigratorOptions(args);
// main.ts holds the other end: when it is gone, this phase stops too (a SIGKILL cannot be passed on).
process.on("disconnect", () => process.exit(PHASE_EXIT.stopped));

let env: MigratorEnv;
try {
  env = parseMigratorEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(PHASE_EXIT.stopped);
}
const givenSource = options.source ?? env.LEGACY_LANCEDB_PATH;
if (!givenSource)
  program.error("--source (or LEGACY_LANCEDB_PATH) is required", { exitCode: PHASE_EXIT.stopped });
if (options.table && !ALL_TABLES.includes(options.table))
  program.error(`--table must be one of: ${ALL_TABLES.join(", ")}`, { exitCode: PHASE_EXIT.stopped });
const sourceUri = resolveWorkspacePath(givenSource!);
const tables = options.table ? [options.table] : ALL_TABLES;
const batchSize = Math.max(1, options.batchSize);

/** The target's vector tables, with the dimensions of the source's vectors, never those of configuration. */
async function openTargetVectors(source: LegacySource) {
  const embeddingDimensions =
    (await source.dimensions("memos", "embedding")) ??
    (await source.dimensions("embedding_cache", "embedding")) ??
    env.EMBEDDING_DIMENSIONS;
  const multimodalDimensions =
    (await source.dimensions("attachments", "multimodalEmbedding")) ??
    (await source.dimensions("multimodal_embedding_cache", "embedding")) ??
    env.MULTIMODAL_EMBEDDING_DIMENSIONS;
  return openVectorStore({
    ...vectorStoreConfigFromEnv(env, {
      embeddingModel: env.OPENAI_EMBEDDING_MODEL,
      embeddingDimensions,
      multimodalModel: env.MULTIMODAL_EMBEDDING_MODEL,
      multimodalDimensions,
    }),
    // No circuit breaker: a batch copy retries each failing batch itself (--retry) rather than skip LanceDB.
    circuitCooldownMs: 0,
  });
}

async function runPhase(source: LegacySource): Promise<number> {
  const vectors = await openTargetVectors(source);
  try {
    if (phase === "index") {
      const maintenance = await vectors.maintain({ only: tableList.split(",") });
      printMaintenance(maintenance);
      if (options.report) {
        const report = JSON.parse(await readFile(options.report, "utf8")) as Partial<MigrationReport>;
        const tables = [...(report.maintenance?.tables ?? []), ...maintenance.tables];
        await writeFile(options.report, JSON.stringify({ ...report, maintenance: { tables } }, null, 2));
      }
      return PHASE_EXIT.ok;
    }
    const handle = await createDb(mysqlConfigFromEnv(env));
    try {
      await migrate(handle);
      if (phase === "verify") {
        const verification = await verifyMigration(source, handle, vectors, tables, batchSize * 10);
        printVerification(verification);
        return verification.ok ? PHASE_EXIT.ok : PHASE_EXIT.incomplete;
      }
      console.log(
        `Source: ${sourceUri}\nTarget: MySQL database from MYSQL_URL/MYSQL_*, LanceDB ${resolveWorkspacePath(env.LANCEDB_URI)}`,
      );
      const progress = createProgress(Boolean(process.stdout.isTTY));
      const report = await migrateLegacy(source, handle, vectors, {
        tables,
        batchSize,
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
      return report.failures.length > 0 ? PHASE_EXIT.incomplete : PHASE_EXIT.ok;
    } finally {
      await handle.close();
    }
  } finally {
    await vectors.close();
  }
}

let exitCode: number = PHASE_EXIT.stopped;
try {
  const source = await openLegacySource(sourceUri);
  try {
    exitCode = await runPhase(source);
  } finally {
    source.close();
  }
} catch (error) {
  console.error(error);
}
process.exit(exitCode);

/**
 * `migrate:data`: runs the migration's phases one after another, each in a node process of its own (phase.ts):
 * copy, then index (LanceDB tables compacted and indexed: each vector table, then the others), then verify when
 * asked. LanceDB's index builder holds a table's vectors at once, and memory a process once held is seldom given
 * back: the 100,000-memo bench peaked at 1,101 MiB in one process, 952 with the copy apart (its indexes 909 in
 * one process), 637 with each vector table's apart, 556 with the index phases' mmap threshold fixed. This
 * process loads neither LanceDB nor MySQL. If it dies,
 * even by SIGKILL, its phase's process stops too.
 */
import { spawn } from "node:child_process";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

import { TABLE_NAMES } from "@aimo/vectors/table-names";

import type { Phase } from "./phase-codes";
import { PHASE_EXIT } from "./phase-codes";
import { parseMigratorOptions } from "./cli";

const args = process.argv.slice(2);
const { options } = parseMigratorOptions(args);
// phase.ts beside main.ts from source, phase.js beside main.js in the bundle.
const phaseScript = fileURLToPath(
  new URL(`./phase${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

/**
 * glibc raises its mmap threshold (up to 32 MiB) whenever a mapped block is freed, so LanceDB's index builder's
 * later batches (6 MiB per 1,000 vectors of 1536 dims) come from the heap and stay there. Fixed at 1 MiB, they are
 * mapped and given back: building IVF_FLAT over 100,000 x 1536 in a fresh process peaked at 562 MiB instead of
 * 626-701, in about the same time. Not for the copy, whose many mid-sized buffers it slowed 2.5x.
 */
const INDEX_PHASE_ALLOCATOR = { MALLOC_MMAP_THRESHOLD_: "1048576" };

const runPhase = (phase: Phase, tables: string[] = []) =>
  new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, phaseScript, phase, tables.join(","), ...args],
      {
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        // eslint-disable-next-line no-restricted-properties -- passed on whole to the phase, which parses it
        env: phase === "index" ? { ...INDEX_PHASE_ALLOCATOR, ...process.env } : process.env,
      },
    );
    child.on("exit", (code) => resolve(code ?? PHASE_EXIT.stopped));
  });

const { memos, attachments, ...others } = TABLE_NAMES;
const phases: { phase: Phase; tables?: string[] }[] = [];
if (!options.verifyOnly) phases.push({ phase: "copy" });
if (!options.verifyOnly && !options.dryRun)
  for (const tables of [[memos], [attachments], Object.values(others)])
    phases.push({ phase: "index", tables });
if (options.verify || options.verifyOnly) phases.push({ phase: "verify" });
let exitCode: number = PHASE_EXIT.ok;
for (const { phase, tables } of phases) {
  const code = await runPhase(phase, tables);
  if (code !== PHASE_EXIT.ok && code !== PHASE_EXIT.incomplete) {
    exitCode = code;
    break;
  }
  exitCode = Math.max(exitCode, code);
}
process.exit(exitCode);

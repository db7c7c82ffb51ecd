/**
 * `migrate:data`: runs the migration's phases one after another, each in a node process of its own (phase.ts):
 * copy, then index (LanceDB compacted and indexed), then verify when asked. LanceDB's index builder holds a
 * table's vectors at once; in a fresh process that peak is not added to what the copy has grown to. This
 * process loads neither LanceDB nor MySQL. If it dies, even by SIGKILL, its phase's process stops too.
 */
import { spawn } from "node:child_process";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";

import type { Phase } from "./phase-codes";
import { PHASE_EXIT } from "./phase-codes";
import { parseMigratorOptions } from "./cli";

const args = process.argv.slice(2);
const { options } = parseMigratorOptions(args);
// phase.ts beside main.ts from source, phase.js beside main.js in the bundle.
const phaseScript = fileURLToPath(
  new URL(`./phase${extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

const runPhase = (phase: Phase) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, phaseScript, phase, ...args], {
      stdio: ["inherit", "inherit", "inherit", "ipc"],
    });
    child.on("exit", (code) => resolve(code ?? PHASE_EXIT.stopped));
  });

const phases: Phase[] = [
  ...(options.verifyOnly ? [] : (["copy"] as const)),
  ...(options.verifyOnly || options.dryRun ? [] : (["index"] as const)),
  ...(options.verify || options.verifyOnly ? (["verify"] as const) : []),
];
let exitCode: number = PHASE_EXIT.ok;
for (const phase of phases) {
  const code = await runPhase(phase);
  if (code !== PHASE_EXIT.ok && code !== PHASE_EXIT.incomplete) {
    exitCode = code;
    break;
  }
  exitCode = Math.max(exitCode, code);
}
process.exit(exitCode);

import { reconcileVectors } from "@aimo/api/server";
import { Command } from "commander";

import { parseServerEnv } from "../env";
import { createLogger } from "../logger";
import { openStores } from "../stores";

const program = new Command()
  .name("vectors:reconcile")
  .description(
    "Find and repair drift between MySQL memos and their LanceDB vectors and keyword terms (also re-embeds after a model change).",
  )
  .option("--dry-run", "report only, change nothing")
  .option("--show <n>", "how many ids of each kind to print", "20")
  .parse();
const options = program.opts<{ dryRun?: boolean; show: string }>();

const env = parseServerEnv();
const logger = createLogger(env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL);
const stores = await openStores(env, logger);
try {
  const report = await reconcileVectors(
    { db: stores.dbHandle.db, vectors: stores.vectors, embedder: stores.embedder, logger },
    { repair: !options.dryRun },
  );
  const show = Number(options.show);
  console.log(`memos in MySQL:        ${report.memos}`);
  console.log(`vectors in LanceDB:    ${report.vectors}`);
  console.log(`keyword rows:          ${report.texts}`);
  console.log(
    `memos not indexed:     ${report.missing.length}${report.missing.length ? ` (${report.missing.slice(0, show).join(", ")})` : ""}`,
  );
  console.log(
    `rows without memo:     ${report.orphans.length}${report.orphans.length ? ` (${report.orphans.slice(0, show).join(", ")})` : ""}`,
  );
  console.log(
    report.repaired ? "Repaired: missing memos indexed, orphans deleted." : "Dry run: nothing changed.",
  );
} finally {
  await stores.close();
}

import { Command, InvalidArgumentError } from "commander";

export interface MigratorOptions {
  source?: string;
  attachmentsSource?: string;
  dryRun?: boolean;
  table?: string;
  batchSize: number;
  retry: number;
  verify?: boolean;
  verifyOnly?: boolean;
  report?: string;
}

const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("a whole number");
  return n;
};

/** The command line of `migrate:data`, read alike by the runner of its phases and by each phase. */
export function parseMigratorOptions(argv: string[]): { program: Command; options: MigratorOptions } {
  const program = new Command()
    .name("migrate:data")
    .description("Copy a legacy LanceDB-only AIMO store into MySQL + LanceDB. The source is never written.")
    .option("--source <dirOrUri>", "legacy LanceDB directory or URI (default LEGACY_LANCEDB_PATH)")
    .option("--attachments-source <dir>", "legacy attachment directory; files are copied under the same keys")
    .option("--dry-run", "count what would be migrated; write nothing")
    .option("--table <name>", "only this table (a legacy table name, or embedding_cache)")
    .option("--batch-size <n>", "records per batch", wholeNumber, 1000)
    .option("--retry <n>", "retries of a failing batch, with exponential backoff", wholeNumber, 3)
    .option("--verify", "compare source and target after copying (or alone, with --verify-only)")
    .option("--verify-only", "only compare source and target")
    .option("--report <file>", "write the summary and every failed record as JSON")
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv, { from: "user" });
  return { program, options: program.opts<MigratorOptions>() };
}

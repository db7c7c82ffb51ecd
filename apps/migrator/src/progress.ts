import { createProgressOutput, formatCount, formatDuration } from "@aimo/progress";

import type { MaintenanceReport } from "@aimo/vectors";

import type { MigrationReport, TableSummary } from "./migrate";
import type { VerifyReport } from "./verify";

/**
 * One table's progress as a line that reads well in a log: done of total, percent, rate, time left, failures.
 * `elapsedMs` is the time since the table began.
 */
export function progressLine(summary: TableSummary, elapsedMs: number): string {
  const done = summary.migrated + summary.failed + summary.skipped;
  const percent = summary.total ? (done / summary.total) * 100 : 100;
  const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
  const left =
    done >= summary.total
      ? "done"
      : rate > 0
        ? `${formatDuration((summary.total - done) / rate)} left`
        : "starting";
  return (
    `${summary.table}: ${formatCount(done)}/${formatCount(summary.total)} (${percent.toFixed(1)}%), ` +
    `${formatCount(Math.round(rate))} records/s, ${left}, in ${formatDuration(elapsedMs / 1000)}` +
    ` | failed ${formatCount(summary.failed)}, skipped ${formatCount(summary.skipped)}`
  );
}

/**
 * A bar per table on a terminal. Otherwise (under `turbo run migrate:data`, which pipes a task's output, or in a
 * log) a line at the first batch, every 2 s and at each table's end, with rate and time left: turbo prints lines as they come.
 */
export function createProgress(
  isTty: boolean,
  {
    now = Date.now,
    print = (line: string) => console.log(line),
  }: { now?: () => number; print?: (line: string) => void } = {},
) {
  const { bars, lines } = createProgressOutput(process.stdout, { isTty, print, now });
  let bar: ReturnType<NonNullable<typeof bars>["create"]> | null = null;
  let startedAt = 0;
  return {
    start(table: string, total: number) {
      startedAt = now();
      if (bars)
        bar = bars.create(
          total,
          0,
          { table: table.padEnd(26), rate: 0, failed: 0, skipped: 0 },
          {
            format:
              " {table} [{bar}] {value}/{total} | {rate}/s | {eta_formatted} left | failed {failed} | skipped {skipped}",
          },
        );
      else {
        print(`Migrating ${table} (${formatCount(total)} records)`);
        lines?.restart(); // the first batch is printed at once: a short table still shows it moved
      }
    },
    update(summary: TableSummary) {
      const done = summary.migrated + summary.failed + summary.skipped;
      const elapsed = now() - startedAt;
      if (bar) {
        const rate = elapsed > 0 ? Math.round((done / elapsed) * 1000) : 0;
        return bar.update(done, { rate, failed: summary.failed, skipped: summary.skipped });
      }
      lines?.offer(() => progressLine(summary, elapsed), done >= summary.total);
    },
    stop() {
      bars?.stop();
    },
  };
}

export function printSummary(report: MigrationReport) {
  const totals = { total: 0, migrated: 0, failed: 0, skipped: 0 };
  const rows: Record<string, { Total: number; Migrated: number; Failed: number; Skipped: number }> = {};
  for (const t of report.tables) {
    rows[t.table] = { Total: t.total, Migrated: t.migrated, Failed: t.failed, Skipped: t.skipped };
    totals.total += t.total;
    totals.migrated += t.migrated;
    totals.failed += t.failed;
    totals.skipped += t.skipped;
  }
  rows.TOTAL = {
    Total: totals.total,
    Migrated: totals.migrated,
    Failed: totals.failed,
    Skipped: totals.skipped,
  };
  console.log(report.dryRun ? "\nDry run: nothing was written. What would happen:" : "\nMigration summary:");
  console.table(rows);
  const repairs = Object.entries(report.repairs).filter(([, n]) => n > 0);
  if (repairs.length) {
    console.log("Repairs of legacy defects:");
    for (const [name, n] of repairs) console.log(`  ${name}: ${n}`);
  }
  for (const failure of report.failures.slice(0, 20))
    console.log(`  failed ${failure.table} ${failure.id}: ${failure.reason}`);
  if (report.failures.length > 20)
    console.log(`  ... and ${report.failures.length - 20} more failures (see --report)`);
}

export function printMaintenance(maintenance: MaintenanceReport) {
  for (const t of maintenance.tables)
    console.log(
      `LanceDB ${t.name} compacted and indexed: ${t.rows} rows, ${t.fragmentsAfter} fragments, indexes on ${t.indexed.join(", ") || "-"}`,
    );
}

export function printVerification(verification: VerifyReport) {
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
}

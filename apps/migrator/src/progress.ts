import { MultiBar, Presets } from "cli-progress";

import type { MigrationReport, TableSummary } from "./migrate";

/** A bar per table on a terminal; otherwise a line every 100 records, for logs. */
export function createProgress(isTty: boolean) {
  const bars = isTty
    ? new MultiBar(
        {
          format: " {table} [{bar}] {value}/{total} | failed {failed} | skipped {skipped}",
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : null;
  let bar: ReturnType<MultiBar["create"]> | null = null;
  let printedAt = 0;
  return {
    start(table: string, total: number) {
      printedAt = 0;
      if (bars) bar = bars.create(total, 0, { table: table.padEnd(26), failed: 0, skipped: 0 });
      else console.log(`Migrating ${table} (${total} records)`);
    },
    update(summary: TableSummary) {
      const done = summary.migrated + summary.failed + summary.skipped;
      if (bar) return bar.update(done, { failed: summary.failed, skipped: summary.skipped });
      if (Math.floor(done / 100) > Math.floor(printedAt / 100) || done === summary.total) {
        printedAt = done;
        const percent = summary.total ? Math.round((done / summary.total) * 100) : 100;
        console.log(
          `Progress: ${done}/${summary.total} (${percent}%) - Failed: ${summary.failed}, Skipped: ${summary.skipped}`,
        );
      }
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
  if (report.maintenance) {
    console.log("LanceDB tables compacted and indexed:");
    for (const t of report.maintenance.tables)
      console.log(
        `  ${t.name}: ${t.rows} rows, ${t.fragmentsAfter} fragments, indexes on ${t.indexed.join(", ") || "-"}`,
      );
  }
  for (const failure of report.failures.slice(0, 20))
    console.log(`  failed ${failure.table} ${failure.id}: ${failure.reason}`);
  if (report.failures.length > 20)
    console.log(`  ... and ${report.failures.length - 20} more failures (see --report)`);
}

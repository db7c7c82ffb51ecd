import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { Target } from "./helpers";
import { legacyStore, openTarget, processesOf, runCli, tempDir } from "./helpers";

const TABLES = [
  "users",
  "categories",
  "tags",
  "memos",
  "memo_tags",
  "memo_relations",
  "attachments",
  "ai_conversations",
  "ai_messages",
  "daily_recommendations",
  "push_rules",
];

/** Everything a migration writes, in a comparable form. */
async function snapshot(target: Target) {
  const tables: Record<string, unknown> = {};
  for (const table of TABLES) {
    const [rows] = await target.db.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2`);
    tables[table] = JSON.parse(JSON.stringify(rows));
  }
  const vectorIds: string[] = [];
  for await (const batch of target.vectors.memos.scanIds())
    vectorIds.push(...batch.map((r) => `${r.id}:${r.uid}`));
  return { tables, vectors: vectorIds.sort() };
}

let source: string;
beforeAll(async () => {
  source = await legacyStore("cli", { dims: 16, bulkMemos: 1500, addBatch: 100 });
});
afterAll(async () => {
  await rm(source, { recursive: true, force: true });
});

// Each test runs the CLI in child processes over a real store, several times: minutes on a busy 2-core machine.
describe("the migrate:data command", { timeout: 240_000 }, () => {
  it("--dry-run counts and writes nothing; --table copies one table", async () => {
    const target = await openTarget("cli_dry", 16);
    try {
      const dry = await runCli(["--source", source, "--dry-run"], target);
      expect(dry.output).toMatch(/Dry run: nothing was written/);
      expect(dry.output).toMatch(/memos\s*│\s*1506\s*│\s*1506/);
      const [[count]] = (await target.db.pool.query(
        "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM memos) AS n",
      )) as [[{ n: number }], unknown];
      expect(Number(count.n)).toBe(0);
      expect(await target.vectors.memos.count()).toBe(0);

      const usersOnly = await runCli(["--source", source, "--table=users"], target);
      expect(usersOnly.code).toBe(0);
      const [[after]] = (await target.db.pool.query(
        "SELECT (SELECT COUNT(*) FROM users) AS u, (SELECT COUNT(*) FROM memos) AS m",
      )) as [[{ u: number; m: number }], unknown];
      expect([Number(after.u), Number(after.m)]).toEqual([4, 0]);
    } finally {
      await target.close();
    }
  });

  it("killed with SIGKILL mid-way and run again, ends exactly like an uninterrupted run; failures exit 1 with a report", async () => {
    const clean = await openTarget("cli_clean", 16);
    const resumed = await openTarget("cli_resumed", 16);
    const reportDir = await tempDir("report");
    try {
      const reportFile = join(reportDir, "report.json");
      const uninterrupted = await runCli(
        ["--source", source, "--batch-size=50", "--report", reportFile],
        clean,
      );
      expect(uninterrupted.code).toBe(1);
      expect(uninterrupted.output).toMatch(
        /memos: [\d,]+\/1,506 \([\d.]+%\), [\d,]+ records\/s, .* \| failed \d+, skipped \d+/,
      );
      // Failed records do not stop the run: its LanceDB tables are compacted and indexed after the copy.
      expect(uninterrupted.output).toMatch(
        /LanceDB memo_texts compacted and indexed: 1505 rows, 1 fragments, indexes on memoId, terms, uid/,
      );
      const report = JSON.parse(await readFile(reportFile, "utf8")) as {
        failures: { table: string; id: string; reason: string }[];
        maintenance: { tables: { name: string }[] };
      };
      expect(report.maintenance.tables.map((t) => t.name)).toContain("memo_vectors");
      expect(report.failures.map((f) => `${f.table}:${f.id}`).sort()).toEqual([
        "attachments:bad-json-attachment",
        "memos:m-ghost-owner",
      ]);

      let migratingMemos = false;
      const killed = await runCli(["--source", source, "--batch-size=50"], resumed, (line, kill) => {
        if (line.startsWith("Migrating memos")) migratingMemos = true;
        else if (migratingMemos && /^memos: [\d,]+\/1,506 \((?!100\.0%)/.test(line)) kill();
      });
      expect(killed.signal).toBe("SIGKILL");
      // The copy runs in a process of its own (see main.ts): it stops with the one that was killed.
      await vi.waitFor(async () => expect(await processesOf(resumed)).toEqual([]), { timeout: 10_000 });
      const partial = await snapshot(resumed);
      expect((partial.tables.memos as unknown[]).length).toBeLessThan(1505);
      const complete = await snapshot(clean);
      expect(complete.vectors).toHaveLength(1505);

      const rerun = await runCli(["--source", source, "--batch-size=50", "--verify"], resumed);
      expect(rerun.output).toMatch(/Verification passed/);
      expect(await snapshot(resumed)).toEqual(await snapshot(clean));

      const again = await runCli(["--source", source, "--batch-size=50"], resumed);
      expect(again.output).toMatch(/TOTAL\s*│\s*\d+\s*│\s*0\s*│/);
    } finally {
      await clean.close();
      await resumed.close();
      await rm(reportDir, { recursive: true, force: true });
    }
  });

  it("--verify exits non-zero on a tampered row", async () => {
    const target = await openTarget("cli_verify", 16);
    try {
      await runCli(["--source", source, "--batch-size=500"], target);
      await target.db.pool.query("UPDATE push_rules SET name = 'tampered' WHERE id = 'push1'");
      const verify = await runCli(["--source", source, "--verify-only"], target);
      expect(verify.code).toBe(1);
      expect(verify.output).toMatch(/push_rules push1: differs/);
      expect(verify.output).toMatch(/Verification FAILED/);
    } finally {
      await target.close();
    }
  });
});

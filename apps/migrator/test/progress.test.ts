import { spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createProgress, progressLine } from "../src/progress";
import type { Target } from "./helpers";
import { legacyStore, openTarget } from "./helpers";

const root = resolve(import.meta.dirname, "../../..");
const summary = (done: number, total: number) => ({
  table: "memos",
  total,
  migrated: done - 3,
  failed: 1,
  skipped: 2,
});

describe("progress without a terminal", () => {
  it("says done of total, percent, rate and time left", () => {
    expect(progressLine(summary(500, 2000), 5000)).toBe(
      "memos: 500/2,000 (25.0%), 100 records/s, 15 s left, in 5 s | failed 1, skipped 2",
    );
    expect(progressLine(summary(1500, 200_000), 30_000)).toBe(
      "memos: 1,500/200,000 (0.8%), 50 records/s, 1 h 6 min left, in 30 s | failed 1, skipped 2",
    );
    expect(progressLine(summary(2000, 2000), 8000)).toBe(
      "memos: 2,000/2,000 (100.0%), 250 records/s, done, in 8 s | failed 1, skipped 2",
    );
  });

  it("prints the first batch, then a line every 2 s of the clock and one at the table's end", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = createProgress(false, { now: () => clock, print: (line) => lines.push(line) });
    progress.start("memos", 2000);
    for (const [at, done] of [
      [500, 100],
      [1900, 400],
      [2100, 500],
      [3000, 700],
      [4200, 1000],
      [4300, 2000],
    ] as const) {
      clock = at;
      progress.update(summary(done, 2000));
    }
    expect(lines.map((line) => line.split(",")[0])).toEqual([
      "Migrating memos (2",
      "memos: 100/2",
      "memos: 700/2",
      "memos: 2",
    ]);
    expect(lines.at(-1)).toContain("done");
  });
});

let target: Target;
let source: string;
beforeAll(async () => {
  target = await openTarget("progress_turbo");
  source = await legacyStore("progress-turbo");
});
afterAll(async () => {
  await target.close();
  await rm(source, { recursive: true, force: true });
});

describe("pnpm migrate:data through turbo", () => {
  // pnpm, turbo, the migrator's build (a cache hit after `pnpm build`) and the run: slow on a loaded machine.
  it(
    "shows each table's progress with its rate as it goes, before the summary",
    { timeout: 300_000 },
    async () => {
      const { config } = target.db;
      const child = spawn("pnpm", ["migrate:data", "--source", source], {
        cwd: root,
        env: {
          ...process.env,
          MYSQL_URL: `mysql://${config.user}${config.password ? `:${config.password}` : ""}@${config.host}:${config.port}/${config.database}`,
          LANCEDB_URI: target.lancedb,
          TURBO_TELEMETRY_DISABLED: "1",
        },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const lines: string[] = [];
      createInterface({ input: child.stdout }).on("line", (line) => lines.push(line));
      // The fixture holds bad records on purpose: they fail alone and the run exits 1.
      expect(await new Promise((done) => child.on("exit", done))).toBe(1);

      // turbo prefixes each line of the task with its name and passes it on as it comes.
      const task = lines.filter((line) => line.startsWith("@aimo/migrator:migrate:data: "));
      const progress = task.filter((line) => / records\/s, /.test(line));
      expect(
        progress.some((line) => /memos: [\d,]+\/[\d,]+ \(100\.0%\), [\d,]+ records\/s, done/.test(line)),
      ).toBe(true);
      const summaryAt = task.findIndex((line) => line.endsWith("Migration summary:"));
      expect(summaryAt).toBeGreaterThan(task.indexOf(progress.at(-1)!));
    },
  );
});

import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const mysql = scratchConfig("server_readme");
let readme: string;
let envExample: string;
let lancedbDir: string;

beforeAll(async () => {
  readme = await readFile(join(root, "README.md"), "utf8");
  envExample = await readFile(join(root, ".env.example"), "utf8");
  lancedbDir = await mkdtemp(join(tmpdir(), "aimo-readme-"));
});
afterAll(async () => {
  await dropDatabase(mysql);
  await rm(lancedbDir, { recursive: true, force: true });
});

/** The rows of the markdown table that starts with `header`, up to the first line that is not a row. */
function tableRows(header: string): string[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(header);
  expect(start, header).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && !line.startsWith("|"));
  return lines.slice(start + 2, end);
}

/**
 * Whether a configuration row names `name`: in full, or as a `_SUFFIX` that completes the prefix of the row's
 * first name (`ATTACHMENT_S3_BUCKET` / `_PREFIX` names ATTACHMENT_S3_PREFIX).
 */
function rowNames(row: string, name: string): boolean {
  const names = [...row.split("|")[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!);
  return names.some(
    (n) =>
      n === name || (n.startsWith("_") && name.endsWith(n) && names[0]!.startsWith(name.slice(0, -n.length))),
  );
}

describe("the README", () => {
  it("documents every variable of .env.example in one unbroken configuration table", () => {
    const rows = tableRows("| variable | default | meaning |");
    const variables = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(40);
    expect(variables.filter((name) => !rows.some((row) => rowNames(row, name)))).toEqual([]);
  });

  it("can load .env.example into a shell as it says, every value intact", async () => {
    expect(readme).toContain("`set -a; . ./.env; set +a`");
    const { stdout, stderr } = await run("sh", ["-c", "set -a; . ./.env.example; set +a; exec env -0"], {
      cwd: root,
      env: {},
    });
    expect(stderr).toBe("");
    const loaded = new Map(stdout.split("\0").map((line) => line.split(/=(.*)/s) as [string, string]));
    expect(loaded.get("DB_OPTIMIZATION_CRON")).toBe("0 2 * * *");
    for (const [, name, value] of envExample.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)) {
      expect(loaded.get(name!), name).toBe(value!.replace(/^"(.*)"$/, "$1"));
    }
  });

  // Three turbo runs, each starting tsx: slow on a loaded machine.
  it("runs the database commands of the operations table as written", { timeout: 240_000 }, async () => {
    const rows = tableRows("| command | what it does |").join("\n");
    const commands = ["pnpm migrate", "pnpm verify:indexes", "pnpm vectors:reconcile --dry-run"];
    for (const command of commands) expect(rows).toContain(`\`${command}\``);
    const env = {
      ...process.env,
      MYSQL_URL: `mysql://${encodeURIComponent(mysql.user)}:${encodeURIComponent(mysql.password)}@${mysql.host}:${mysql.port}/${mysql.database}`,
      LANCEDB_URI: lancedbDir,
    };
    const outputs: string[] = [];
    for (const command of commands) {
      const [file, ...args] = command.split(" ");
      outputs.push((await run(file!, args, { cwd: root, env })).stdout);
    }
    expect(outputs[2]).toContain("Dry run: nothing changed.");
  });
});

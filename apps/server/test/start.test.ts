import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";

import type { AppRouter } from "@aimo/api";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const mysql = scratchConfig("server_start");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-start-"));
});
afterAll(async () => {
  await dropDatabase(mysql);
  await rm(dir, { recursive: true, force: true });
});

/** Every process below `pid` now, from /proc (threads excluded). */
async function descendantsOf(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // The command name is in parentheses and may hold spaces: the fields after its closing one are fixed.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  for (let frontier = [pid]; frontier.length;) {
    const children = [...parents].filter(([, parent]) => frontier.includes(parent)).map(([child]) => child);
    found.push(...children);
    frontier = children;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("the README's start command", () => {
  // pnpm, turbo's build (a cache hit after `pnpm build`, a bundle otherwise) and the server: slow on a loaded machine.
  it(
    "runs the built server under plain node and stops it, and all it started, on SIGTERM to its pid; the bundled vectors:reconcile runs too",
    { timeout: 300_000 },
    async () => {
      const readme = await readFile(join(root, "README.md"), "utf8");
      expect(readme).toContain("pnpm install && pnpm start");
      const { scripts } = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      };
      const start = scripts.start!;
      expect(start).toMatch(/exec node .*apps\/server\/dist\/main\.js$/);

      const env = {
        ...process.env,
        MYSQL_URL: `mysql://${encodeURIComponent(mysql.user)}:${encodeURIComponent(mysql.password)}@${mysql.host}:${mysql.port}/${mysql.database}`,
        PORT: "0",
        LANCEDB_URI: join(dir, "lancedb"),
        ATTACHMENT_LOCAL_PATH: join(dir, "files"),
        EMBEDDING_DIMENSIONS: "16",
        LOG_LEVEL: "info",
        TURBO_TELEMETRY_DISABLED: "1",
      };
      const child = spawn("pnpm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      const messages: string[] = [];
      let output = "";
      const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const url = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout }).on("line", (text) => {
          output += `${text}\n`;
          const line = /^\{/.test(text) ? (JSON.parse(text) as { msg: string; url?: string }) : null;
          if (!line) return;
          messages.push(line.msg);
          if (line.msg === "listening") done(line.url!);
        });
        void exited.then((code) =>
          fail(new Error(`pnpm start exited (${code}) before listening:\n${output}`)),
        );
      });

      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      // A registration and a memo: argon2, the migrations and LanceDB loaded beside the bundle.
      const anonymous = createTRPCClient<AppRouter>({
        links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson })],
      });
      const { token } = await anonymous.auth.register.mutate({
        email: "start@example.com",
        password: "a long enough password",
      });
      const client = createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({
            url: `${url}/trpc`,
            transformer: superjson,
            headers: { authorization: `Bearer ${token}` },
          }),
        ],
      });
      const memo = await client.memo.create.mutate({ content: "bundled servers still find their memos" });
      expect((await client.memo.get.query({ id: memo.id })).content).toBe(memo.content);

      const started = await descendantsOf(child.pid!);
      expect(started.length).toBeGreaterThan(0);
      expect(started.filter(alive)).toEqual(started);

      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(messages.slice(messages.indexOf("shutting down"))).toEqual([
        "shutting down",
        "mysql closed",
        "lancedb closed",
        "stopped",
      ]);
      expect(started.filter(alive)).toEqual([]);

      // vectors:reconcile, bundled beside it, under plain node on the database the server left.
      const reconcile = await run(
        process.execPath,
        [join(root, "apps/server/dist/reconcile.js"), "--dry-run"],
        {
          cwd: dir,
          env,
        },
      );
      expect(reconcile.stdout).toMatch(/memos in MySQL: +1\n/);
      expect(reconcile.stdout).toContain("Dry run: nothing changed.");
    },
  );
});

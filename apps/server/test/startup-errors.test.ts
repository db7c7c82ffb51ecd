import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const mainScript = new URL("../src/main.ts", import.meta.url).pathname;
const tsxBin = new URL("../node_modules/.bin/tsx", import.meta.url).pathname;

const config = scratchConfig("server_startup_errors");
const mysqlUrl = (password: string, port = config.port) =>
  `mysql://${config.user}${password ? `:${encodeURIComponent(password)}` : ""}@${config.host}:${port}/${config.database}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-startup-"));
});
afterAll(async () => {
  await dropDatabase(config);
  await rm(dir, { recursive: true, force: true });
});

/** Runs the real entry point until it exits; its exit code and what it printed. */
function start(env: Record<string, string>) {
  const child = spawn(tsxBin, [mainScript], {
    env: { ...process.env, LOG_LEVEL: "info", PORT: "0", LANCEDB_URI: join(dir, "lancedb"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
}

/** A port on 127.0.0.1 held by a listener of the test's, until `close()`. */
async function heldPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Exit 1, and on stderr one line: the sentence, no stack, no JSON. */
function expectOneSentence(
  result: { code: number | null; stdout: string; stderr: string },
  sentence: RegExp,
) {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(sentence);
  expect(result.stdout).not.toMatch(/"level":60|"stack"/);
}

describe("start-up failures say what to fix in one sentence", { timeout: 180_000 }, () => {
  it("MySQL not running", async () => {
    const closed = await heldPort();
    await closed.close();
    const result = await start({ MYSQL_URL: mysqlUrl(config.password, closed.port) });
    expectOneSentence(
      result,
      new RegExp(
        `^Cannot reach MySQL at ${config.host}:${closed.port} \\(connection refused\\): is it running\\? Set MYSQL_URL`,
      ),
    );
  });

  it("a wrong password in MYSQL_URL", async () => {
    const result = await start({ MYSQL_URL: mysqlUrl(`${config.password}-wrong`) });
    expectOneSentence(
      result,
      new RegExp(
        `^MySQL at ${config.host}:${config.port} refused user "${config.user}" \\(wrong password\\?\\): set the right user and password in MYSQL_URL\\.$`,
      ),
    );
  });

  it("an unusable LanceDB location", async () => {
    const file = join(dir, "a-file");
    await writeFile(file, "not a directory");
    const result = await start({ MYSQL_URL: mysqlUrl(config.password), LANCEDB_URI: join(file, "lancedb") });
    expectOneSentence(
      result,
      /^Cannot use the LanceDB location \S+a-file\/lancedb \(.*Not a directory.*\): set LANCEDB_URI to a directory this user can write/,
    );
  });

  it("a port in use", async () => {
    const held = await heldPort();
    try {
      const result = await start({ MYSQL_URL: mysqlUrl(config.password), PORT: String(held.port) });
      expectOneSentence(
        result,
        new RegExp(
          `^Port ${held.port} on 127\\.0\\.0\\.1 is already in use: stop the other process or set PORT`,
        ),
      );
    } finally {
      await held.close();
    }
  });
});

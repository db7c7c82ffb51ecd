import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { ScratchDatabase } from "@aimo/db/testing";
import { openScratchDatabase } from "@aimo/db/testing";
import type { VectorStore } from "@aimo/vectors";
import { openVectorStore } from "@aimo/vectors";

import { writeLegacyStore } from "../src/fixtures/legacy-store";
import type { LegacyFixtureOptions } from "../src/fixtures/legacy-store";

export const DIMS = 8;

export async function tempDir(label: string) {
  return mkdtemp(join(tmpdir(), `aimo-migrator-${label}-`));
}

export async function legacyStore(label: string, options: Partial<LegacyFixtureOptions> = {}) {
  const dir = await tempDir(label);
  await writeLegacyStore(dir, { dims: DIMS, ...options });
  return dir;
}

export interface Target {
  db: ScratchDatabase;
  lancedb: string;
  vectors: VectorStore;
  close(): Promise<void>;
}

export async function openTarget(label: string, dims = DIMS): Promise<Target> {
  const db = await openScratchDatabase(label);
  const lancedb = await tempDir(`${label}-target`);
  const vectors = await openVectorStore({
    uri: lancedb,
    versionRetentionMinutes: 2,
    embeddingModel: "text-embedding-3-small",
    embeddingDimensions: dims,
    multimodalModel: "qwen3-vl-embedding",
    multimodalDimensions: 1024,
  });
  return {
    db,
    lancedb,
    vectors,
    async close() {
      await vectors.close();
      await db.drop();
      await rm(lancedb, { recursive: true, force: true });
    },
  };
}

const mainScript = new URL("../src/main.ts", import.meta.url).pathname;

/** Runs the real CLI, node itself (tsx's own CLI would stand between); `onLine` may kill it. */
export function runCli(args: string[], target: Target, onLine?: (line: string, kill: () => void) => void) {
  const { config } = target.db;
  const child = spawn(process.execPath, ["--import", "tsx", mainScript, ...args], {
    env: {
      ...process.env,
      MYSQL_URL: `mysql://${config.user}${config.password ? `:${config.password}` : ""}@${config.host}:${config.port}/${config.database}`,
      LANCEDB_URI: target.lancedb,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (onLine) for (const line of chunk.toString().split("\n")) onLine(line, () => child.kill("SIGKILL"));
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, output })),
  );
}

/** The pids of the processes whose environment points at this target's LanceDB directory. */
export async function processesOf(target: Target): Promise<number[]> {
  const marker = `\0LANCEDB_URI=${target.lancedb}\0`;
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // A process that ended meanwhile, or another user's, has no readable environment.
    const environ = await readFile(`/proc/${entry}/environ`, "utf8").catch(() => "");
    if (`\0${environ}`.includes(marker)) pids.push(Number(entry));
  }
  return pids;
}

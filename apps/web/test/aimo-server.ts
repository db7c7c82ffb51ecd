import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { dropDatabase, scratchConfig } from "@aimo/db/testing";

const serverDir = fileURLToPath(new URL("../../server", import.meta.url));
export const webAppDir = fileURLToPath(new URL("../dist", import.meta.url));

export interface AimoServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The real server, started as `pnpm start` starts it (its own process, node with tsx), on a scratch database,
 * a temp folder and port 0, serving the built web app; `settings` add environment variables.
 */
export async function startAimoServer(
  label: string,
  settings: Record<string, string> = {},
): Promise<AimoServer> {
  const mysql = scratchConfig(label);
  const dir = await mkdtemp(join(tmpdir(), `aimo-${label}-`));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      MYSQL_URL: `mysql://${mysql.user}${mysql.password ? `:${mysql.password}` : ""}@${mysql.host}:${mysql.port}/${mysql.database}`,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      LANCEDB_URI: join(dir, "lancedb"),
      ATTACHMENT_LOCAL_PATH: join(dir, "files"),
      ATTACHMENT_TMP_DIR: join(dir, "spool"),
      EMBEDDING_DIMENSIONS: "16",
      JWT_SECRET: `${label}-browser-test-secret-`.repeat(2),
      SCHEDULER_ENABLED: "false",
      WEB_APP_DIR: webAppDir,
      ...settings,
    },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "listening" && entry.url) resolve(entry.url);
      } catch {
        // Not a log line.
      }
    });
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening: ${stderr}`)));
  });
  return {
    url,
    async close() {
      child.kill("SIGTERM");
      await exited;
      await dropDatabase(mysql);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

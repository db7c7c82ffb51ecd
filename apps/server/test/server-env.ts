import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { MysqlConfig } from "@aimo/db";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";
import type { Readiness } from "../src/readiness";

import type { ServerEnv } from "../src/env";
import { serverEnvSchema } from "../src/env";

/** The environment of an in-process test server: a scratch database, port 0, and the test's own settings. */
export function testServerEnv(mysql: MysqlConfig, settings: Record<string, string>): ServerEnv {
  return serverEnvSchema.parse({
    MYSQL_HOST: mysql.host,
    MYSQL_PORT: String(mysql.port),
    MYSQL_USER: mysql.user,
    MYSQL_PASSWORD: mysql.password,
    MYSQL_DATABASE: mysql.database,
    PORT: "0",
    ...settings,
  });
}

export interface TestServer {
  server: RunningServer;
  mysql: MysqlConfig;
  /** The temp folder: `lancedb`, `files` (attachments) and `spool` (uploads) below it. */
  dir: string;
  close(): Promise<void>;
}

/** A real server on a scratch database and a temp folder, without the scheduler; `settings` add or override. */
export async function startTestServer(
  label: string,
  settings: Record<string, string> = {},
): Promise<TestServer> {
  const mysql = scratchConfig(label);
  const dir = await mkdtemp(join(tmpdir(), `aimo-${label}-`));
  const env = testServerEnv(mysql, {
    LANCEDB_URI: join(dir, "lancedb"),
    EMBEDDING_DIMENSIONS: "16",
    JWT_SECRET: `${label}-secret-`.repeat(4),
    ATTACHMENT_LOCAL_PATH: join(dir, "files"),
    ATTACHMENT_TMP_DIR: join(dir, "spool"),
    SCHEDULER_ENABLED: "false",
    ...settings,
  });
  const server = await startServer(env, pino({ level: "silent" }));
  return {
    server,
    mysql,
    dir,
    async close() {
      await server.stop();
      await dropDatabase(mysql);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The server's `/readyz`: its status code and body. */
export async function readyz(server: RunningServer): Promise<{ status: number; body: Readiness }> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness };
}

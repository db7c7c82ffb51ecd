import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { AppRouter } from "@aimo/api";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { runServer } from "./child-server";

const config = scratchConfig("server_lifecycle");
const mysqlUrl = `mysql://${config.user}${config.password ? `:${config.password}` : ""}@${config.host}:${config.port}/${config.database}`;
let lancedbDir: string;

beforeAll(async () => {
  lancedbDir = await mkdtemp(join(tmpdir(), "aimo-lifecycle-"));
});
afterAll(async () => {
  await dropDatabase(config);
  await rm(lancedbDir, { recursive: true, force: true });
});

describe("server lifecycle", () => {
  it("starts on a fresh database, answers /healthz, /readyz and tRPC, and exits 0 on SIGTERM with MySQL then LanceDB closed", async () => {
    const server = runServer({ MYSQL_URL: mysqlUrl, PORT: "0", LANCEDB_URI: lancedbDir });
    const listening = await server.waitFor("listening");
    const url = listening.url!;

    const healthz = await fetch(`${url}/healthz`);
    expect(healthz.status).toBe(200);
    const readyz = await fetch(`${url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toEqual({
      status: "ready",
      dependencies: { mysql: { state: "ok" }, lancedb: { state: "ok" }, storage: { state: "ok" } },
    });
    expect(readyz.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);

    const client = createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: `${url}/trpc`, transformer: superjson })],
    });
    expect(await client.system.health.query()).toMatchObject({ mysql: true });
    expect((await client.system.version.query()).version).toMatch(/^\d+\.\d+\.\d+/);
    // Other GETs are the web app's (its routes fall back to index.html); anything else unknown is 404.
    expect((await fetch(`${url}/nope`, { method: "POST" })).status).toBe(404);

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const messages = server.lines.map((l) => l.msg);
    expect(messages).toContain("mysql closed");
    expect(messages.indexOf("mysql closed")).toBeGreaterThan(messages.indexOf("shutting down"));
    expect(messages.indexOf("lancedb closed")).toBeGreaterThan(messages.indexOf("mysql closed"));
    expect(server.lines.some((l) => l.msg === "request" && (l as { requestId?: string }).requestId)).toBe(
      true,
    );
  });

  it("refuses to start with a malformed variable and names it", async () => {
    const server = runServer({ MYSQL_URL: mysqlUrl, PORT: "not-a-port", LANCEDB_URI: lancedbDir });
    expect(await server.exited).not.toBe(0);
    expect(server.stderr()).toMatch(/PORT/);
  });

  it("refuses to start with a malformed MYSQL_URL and names it", async () => {
    const server = runServer({ MYSQL_URL: "postgres://nope", LANCEDB_URI: lancedbDir });
    expect(await server.exited).not.toBe(0);
    expect(server.stderr()).toMatch(/MYSQL_URL/);
  });

  it("refuses to start in production without JWT_SECRET", async () => {
    const server = runServer({
      MYSQL_URL: mysqlUrl,
      LANCEDB_URI: lancedbDir,
      NODE_ENV: "production",
      JWT_SECRET: "",
    });
    expect(await server.exited).not.toBe(0);
    expect(server.stderr()).toMatch(/JWT_SECRET: required when NODE_ENV=production/);
  });
});

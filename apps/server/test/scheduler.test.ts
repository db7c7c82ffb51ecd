import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createAimoClient } from "@aimo/client";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import { startTestServer, testServerEnv } from "./server-env";

const mysql = scratchConfig("server_scheduler");
let dir: string;
let server: RunningServer;
let meow: http.Server;
const received: string[] = [];

beforeAll(async () => {
  meow = http.createServer((req, res) => {
    received.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":200}');
  });
  await new Promise<void>((resolve) => meow.listen(0, "127.0.0.1", resolve));
  dir = await mkdtemp(join(tmpdir(), "aimo-scheduler-"));
  const env = testServerEnv(mysql, {
    LANCEDB_URI: join(dir, "lancedb"),
    ATTACHMENT_LOCAL_PATH: join(dir, "attachments"),
    EMBEDDING_DIMENSIONS: "64",
    LOCALE_TIMEZONE: "Asia/Shanghai",
    MEOW_BASE_URL: `http://127.0.0.1:${(meow.address() as AddressInfo).port}`,
    PUSH_ALLOW_PRIVATE_TARGETS: "true",
  });
  server = await startServer(env, pino({ level: "silent" }));
});
afterAll(async () => {
  await server.stop();
  await new Promise<void>((resolve) => meow.close(() => resolve()));
  await dropDatabase(mysql);
  await rm(dir, { recursive: true, force: true });
});

/** A client signed in as a newly registered user. */
async function registeredClient(email: string) {
  const { token } = await createAimoClient({ url: server.url }).auth.register.mutate({
    email,
    password: "scheduler test password",
  });
  return createAimoClient({ url: server.url, token });
}

describe("the scheduler", () => {
  it("fires a rule at its hour in LOCALE_TIMEZONE and logs the delivery", async () => {
    const client = await registeredClient("push@example.test");
    await client.memo.create.mutate({ content: "something to push" });
    const rule = await client.pushRule.create.mutate({
      name: "eight",
      pushTime: 8,
      contentType: "daily_memos",
      channels: [{ type: "meow", nickname: "me" }],
    });

    // 23:10 UTC is 07:10 in Shanghai: not yet.
    expect(await server.scheduler.runPushRules(new Date(Date.UTC(2026, 10, 23, 23, 10)))).toBe(0);
    expect(await client.pushRule.deliveries.query({ id: rule.id })).toEqual([]);
    // 00:05 UTC is 08:05 in Shanghai.
    expect(await server.scheduler.runPushRules(new Date(Date.UTC(2026, 10, 24, 0, 5)))).toBe(1);
    const deliveries = await client.pushRule.deliveries.query({ id: rule.id });
    expect(deliveries.map((d) => [d.channelType, d.status])).toEqual([["meow", "success"]]);
    expect(received).toEqual(["/me"]);
    // Later in the same hour the slot is done: nothing runs, nothing is sent again.
    expect(await server.scheduler.runPushRules(new Date(Date.UTC(2026, 10, 24, 0, 40)))).toBeUndefined();
    expect(received).toEqual(["/me"]);
  });

  it("runs LanceDB maintenance on demand and stops cleanly with the server", async () => {
    await expect(server.scheduler.runMaintenance()).resolves.toBe(true);
  });

  it("runs LanceDB maintenance once many writes have piled up, not before", async () => {
    const client = await registeredClient("writer@example.test");
    await server.scheduler.runMaintenance();
    await client.memo.create.mutate({ content: "one memo is not enough" });
    expect(await server.scheduler.runMaintenanceIfDue()).toBe(false);
    // Each create commits its terms and its vector, a fragment each, unless the vector worker coalesced some
    // (a slow machine), and the 30 s check may maintain in the background: so create until it is due.
    let creates = 1;
    while (!(await server.scheduler.runMaintenanceIfDue())) {
      await client.memo.create.mutate({ content: `memo number ${creates}` });
      expect(++creates).toBeLessThan(300);
    }
    // Due at 100 commits or 32 fragments in a table (the compacted one and 31 new), not after a handful.
    expect(creates).toBeGreaterThanOrEqual(31);
    expect(await server.scheduler.runMaintenanceIfDue()).toBe(false);
  });

  it("runs due maintenance as soon as this process's writes pause, once per pause", async () => {
    const client = await registeredClient("burst@example.test");
    await server.scheduler.runMaintenance();
    // Later than any slot the crons took: this test passes its own clock.
    const pausedAt = () => new Date(Date.now() + 2_500);
    let creates = 0;
    for (;;) {
      await client.memo.create.mutate({ content: `burst memo ${creates}` });
      expect(++creates).toBeLessThan(300);
      // Right after a write there is no pause, however much is due.
      expect(await server.scheduler.runMaintenanceIfPaused(new Date())).toBe(false);
      if (await server.scheduler.runMaintenanceIfPaused(pausedAt())) break;
    }
    // At a pause 16 commits call for it (8 creates of a term row and a vector each), not 100 as between writes.
    expect(creates).toBeGreaterThanOrEqual(8);
    expect(creates).toBeLessThan(31);
    expect(await server.scheduler.runMaintenanceIfPaused(pausedAt())).toBe(false);
  });

  /**
   * A server without scheduled checks, so only the test maintains, freshly maintained, and a signed-in client of
   * it; closed after `test`.
   */
  async function withQuietServer(
    label: string,
    test: (server: RunningServer, client: ReturnType<typeof createAimoClient>) => Promise<void>,
  ) {
    const quiet = await startTestServer(`server_scheduler_${label}`);
    try {
      const { token } = await createAimoClient({ url: quiet.server.url }).auth.register.mutate({
        email: `${label}@example.test`,
        password: "scheduler test password",
      });
      await quiet.server.scheduler.runMaintenance();
      await test(quiet.server, createAimoClient({ url: quiet.server.url, token }));
    } finally {
      await quiet.close();
    }
  }

  it("takes no pause while a maintenance holds the writes in their queue", async () => {
    await withQuietServer("held", async (quiet, client) => {
      const pausedAt = () => new Date(Date.now() + 2_500);
      const createMany = async (label: string) => {
        // Each create commits its vector and its terms: this is past MAINTAIN_AFTER_WRITES (100) commits.
        for (let i = 0; i < 60; i++) await client.memo.create.mutate({ content: `${label} memo ${i}` });
      };
      await createMany("held");
      const held = quiet.scheduler.runMaintenance();
      expect(await quiet.scheduler.runMaintenanceIfPaused(pausedAt())).toBe(false);
      expect(await held).toBe(true);
      // The same writes at a real pause are due: the check above declined because the maintenance ran.
      await createMany("paused");
      expect(await quiet.scheduler.runMaintenanceIfPaused(pausedAt())).toBe(true);
    });
  });

  it("maintains as soon as this process's writes call for it, without waiting for a pause", async () => {
    await withQuietServer("written", async (quiet, client) => {
      // Each create commits its vector and its terms: 49 are 98 commits, short of MAINTAIN_AFTER_WRITES (100).
      for (let i = 0; i < 49; i++) await client.memo.create.mutate({ content: `written memo ${i}` });
      expect(await quiet.scheduler.runMaintenanceIfWritten()).toBe(false);
      await client.memo.create.mutate({ content: "the fiftieth" });
      expect(await quiet.scheduler.runMaintenanceIfWritten()).toBe(true);
      expect(await quiet.scheduler.runMaintenanceIfWritten()).toBe(false);
    });
  });

  it("consolidates at the 30 s check only once this process has written nothing for a minute", async () => {
    await withQuietServer("idle", async (quiet, client) => {
      const { id } = await client.memo.create.mutate({
        content: "written just now, kept in the recent tier",
      });
      const at = (ms: number) => new Date(Date.now() + ms);
      // Two commits call for no maintenance; a minute on, the recent keyword row is due to be folded.
      expect(await quiet.scheduler.runMaintenanceCheck("idle-1", at(0))).toBe(false);
      expect(await quiet.scheduler.runMaintenanceCheck("idle-2", at(61_000))).toBe(true);
      expect(await quiet.scheduler.runMaintenanceCheck("idle-3", at(61_000))).toBe(false);
      const { hits } = await client.search.query.query({ query: "recent tier", mode: "keyword" });
      expect(hits.map((hit) => hit.memo.id)).toEqual([id]);
    });
  });
});

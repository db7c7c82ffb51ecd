/**
 * Three real server processes (the main entry, as an operator runs it) on one scratch database and one LanceDB
 * directory, their schedulers firing every second or few, in front of a fake embedding API and a webhook receiver.
 */
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { slotMessageId } from "@aimo/api/server";
import { createAimoClient } from "@aimo/client";
import type { DbHandle } from "@aimo/db";
import { createDb, pushDeliveries, vectorJobs } from "@aimo/db";
import { dropDatabase, scratchConfig } from "@aimo/db/testing";
import type { FakeOpenAi } from "@aimo/fake-services";
import { startFakeOpenAi } from "@aimo/fake-services";
import type { VectorStore } from "@aimo/vectors";
import { openVectorStore } from "@aimo/vectors";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { LogLine, ServerProcess } from "./child-server";
import { runServer } from "./child-server";

const PROCESSES = 3;
const DIMENSIONS = 16;
const MODEL = "concepts";
const mysql = scratchConfig("server_multiproc");
const mysqlUrl = `mysql://${mysql.user}${mysql.password ? `:${mysql.password}` : ""}@${mysql.host}:${mysql.port}/${mysql.database}`;
const whsec = `whsec_${Buffer.from("multiprocess-receiver-secret").toString("base64")}`;

interface Received {
  /** The path's last part: which rule the URL was given to. */
  hook: string;
  webhookId: string;
  status: number;
}

let dir: string;
let openai: FakeOpenAi;
let receiver: http.Server;
const received: Received[] = [];
let servers: ServerProcess[];
let urls: string[];
let db: DbHandle;
/** The push rules, created before any scheduler ran: one for this hour, one for the next. */
let rules: { id: string; pushTime: number }[];

/** A webhook receiver that refuses the first attempt of each message (503), so every delivery is retried once. */
async function startReceiver() {
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const webhookId = String(req.headers["webhook-id"]);
      const status = seen.has(webhookId) ? 204 : 503;
      seen.add(webhookId);
      received.push({ hook: (req.url ?? "").replace("/hook/", ""), webhookId, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const logsOf = (msg: string, job: string) =>
  servers.map((server) => server.lines.filter((line) => line.msg === msg && line.job === job));

/** Resolves once every process has logged a line passing `test` (each waits on its own log). */
const everyProcessLogged = (test: (line: LogLine) => boolean, what: string) =>
  Promise.all(servers.map((server) => server.waitForLine(test, what)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-multiproc-"));
  openai = await startFakeOpenAi();
  receiver = await startReceiver();
  const env = {
    MYSQL_URL: mysqlUrl,
    PORT: "0",
    LOG_LEVEL: "debug",
    LANCEDB_URI: join(dir, "lancedb"),
    ATTACHMENT_LOCAL_PATH: join(dir, "files"),
    ATTACHMENT_TMP_DIR: join(dir, "spool"),
    JWT_SECRET: "multiprocess-secret-multiprocess-secret",
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: "test-key",
    OPENAI_EMBEDDING_MODEL: MODEL,
    EMBEDDING_DIMENSIONS: String(DIMENSIONS),
    EMBEDDING_RETRIES: "0",
    // In-request attempts never run out of time: every embedding request the fake sees is answered.
    VECTOR_SYNC_DEADLINE_MS: "60000",
    VECTOR_WORKER_INTERVAL_MS: "200",
    LOCALE_TIMEZONE: "UTC",
    PUSH_ALLOW_PRIVATE_TARGETS: "true",
    // The slots come fast: push rules are looked for every second (still one slot an hour), maintenance every 4 s.
    PUSH_RULES_CRON: "* * * * * *",
    DB_OPTIMIZATION_CRON: "*/4 * * * * *",
  };
  // A first process without a scheduler migrates the database and takes the rules, through the API: a
  // scheduler would run this hour's slot at once, before a rule for it existed. One rule for this hour and one
  // for the next, in case the hour turns before the slot runs.
  const setup = runServer({ ...env, SCHEDULER_ENABLED: "false" });
  const setupUrl = (await setup.waitFor("listening")).url!;
  const { token } = await createAimoClient({ url: setupUrl }).auth.register.mutate({
    email: "pusher@example.test",
    password: "pusher password",
  });
  const hour = new Date().getUTCHours();
  const port = (receiver.address() as AddressInfo).port;
  rules = [];
  for (const pushTime of [hour, (hour + 1) % 24]) {
    const rule = await createAimoClient({ url: setupUrl, token }).pushRule.create.mutate({
      name: `at ${pushTime}`,
      pushTime,
      contentType: "daily_memos",
      channels: [{ type: "webhook", webhookUrl: `http://127.0.0.1:${port}/hook/${pushTime}`, secret: whsec }],
    });
    rules.push({ id: rule.id, pushTime });
  }
  setup.child.kill("SIGTERM");
  expect(await setup.exited).toBe(0);

  servers = Array.from({ length: PROCESSES }, () => runServer(env));
  urls = (await Promise.all(servers.map((server) => server.waitFor("listening")))).map((line) => line.url!);
  db = await createDb(mysql);
  // Four processes start on two cores shared with other work: minutes, on a loaded machine.
}, 300_000);

afterAll(async () => {
  await Promise.all(
    (servers ?? []).map((server) => {
      server.child.kill("SIGTERM");
      return server.exited;
    }),
  );
  await db?.close();
  await openai?.close();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await dropDatabase(mysql);
  await rm(dir, { recursive: true, force: true });
});

describe("three server processes on one database and one LanceDB location", () => {
  it("deliver each due push rule once per slot, under one webhook id, and run each maintenance slot once", async () => {
    const ran = await Promise.race(
      servers.map((server) =>
        server.waitForLine(
          (l) => l.msg === "push rule sent" && typeof l.slot === "string",
          "a push rule sent",
        ),
      ),
    );
    const slot = ran.slot as string;
    const sentAt = ran.time!;
    // Every process has since tried the same slot again, and skipped it.
    await everyProcessLogged(
      (l) =>
        l.msg === "scheduled slot skipped" && l.job === "push-rules" && l.slot === slot && l.time! > sentAt,
      `a skipped push slot ${slot}`,
    );

    const due = rules.find((rule) => rule.pushTime === new Date(slot).getUTCHours())!;
    const toDue = received.filter((r) => r.hook === String(due.pushTime));
    // One message: refused once, retried once under the same id, accepted once.
    expect(toDue.map((r) => [r.webhookId, r.status])).toEqual([
      [slotMessageId(due.id, slot, 0), 503],
      [slotMessageId(due.id, slot, 0), 204],
    ]);
    const deliveries = (await db.db.select().from(pushDeliveries)).filter((d) => d.ruleId === due.id);
    expect(deliveries.map((d) => [d.slot, d.status, d.attempts])).toEqual([[slot, "success", 2]]);
    expect(
      logsOf("scheduled slot ran", "push-rules")
        .flat()
        .filter((l) => l.slot === slot),
    ).toHaveLength(1);

    // Maintenance: slots every 4 s, each run by one process only, however many fire at once.
    const maintained = await Promise.race(
      servers.map((server) =>
        server.waitForLine((l) => l.msg === "scheduled slot ran" && l.job === "lancedb-maintenance"),
      ),
    );
    await everyProcessLogged(
      (l) =>
        l.msg === "scheduled slot skipped" && l.job === "lancedb-maintenance" && l.time! > maintained.time!,
      "a skipped maintenance slot",
    );
    const maintenanceSlots = logsOf("scheduled slot ran", "lancedb-maintenance")
      .flat()
      .map((l) => l.slot as string);
    expect(maintenanceSlots.length).toBeGreaterThanOrEqual(1);
    expect(new Set(maintenanceSlots).size).toBe(maintenanceSlots.length);
  }, 180_000);

  it("embed each vector job once across the processes' workers and keep every write made through any of them", async () => {
    const anonymous = createAimoClient({ url: urls[1]! });
    const { token } = await anonymous.auth.register.mutate({
      email: "writer@example.test",
      password: "writer password",
    });
    const clients = urls.map((url) => createAimoClient({ url, token }));

    // The embedding API is down while memos are written through every process: each write commits, its
    // in-request attempt fails, and its job waits for the workers.
    openai.state.embeddingStatus = 503;
    const contents = clients.flatMap((_, p) =>
      [0, 1, 2, 3].map((i) => `note ${i} written through process ${p}`),
    );
    const written = await Promise.all(
      contents.map((content, i) => clients[i % PROCESSES]!.memo.create.mutate({ content })),
    );
    expect(written.every((memo) => memo.indexState?.status !== "indexed")).toBe(true);
    const answeredFrom = openai.embeddingInputs.length;
    openai.state.embeddingStatus = undefined;
    // Jobs in their backoff become due now; a claimed one (leased minutes ahead) is left alone.
    await db.db.execute(
      "UPDATE vector_jobs SET run_after = NOW(3) WHERE run_after < NOW(3) + INTERVAL 1 MINUTE",
    );

    const ids = written.map((memo) => memo.id);
    await vi.waitFor(async () => expect(await db.db.select().from(vectorJobs)).toEqual([]), {
      timeout: 120_000,
      interval: 200,
    });
    // Three workers polled the same jobs every 200 ms: each text was sent to the API once.
    expect(openai.embeddingInputs.slice(answeredFrom).flat().sort()).toEqual([...contents].sort());

    // Every write is in MySQL, seen through each process, and in LanceDB.
    for (const client of clients) {
      const listed = await client.memo.list.query({ limit: 50 });
      expect(listed.items.map((m) => m.id).sort()).toEqual([...ids].sort());
    }
    expect((await clients[2]!.memo.get.query({ id: ids[0]! })).indexState).toEqual({ status: "indexed" });
    const vectors: VectorStore = await openVectorStore({
      uri: join(dir, "lancedb"),
      versionRetentionMinutes: 2,
      embeddingModel: MODEL,
      embeddingDimensions: DIMENSIONS,
      multimodalModel: "qwen3-vl-embedding",
      multimodalDimensions: 1024,
    });
    try {
      expect((await vectors.memos.get(ids)).map((row) => row.id).sort()).toEqual([...ids].sort());
      expect(await vectors.memoTexts.count((await clients[0]!.auth.me.query()).uid)).toBe(ids.length);
    } finally {
      await vectors.close();
    }
  }, 180_000);
});

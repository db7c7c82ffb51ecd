import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import type { AimoClient } from "@aimo/client";
import { createAimoClient } from "@aimo/client";
import type { DbHandle } from "@aimo/db";
import { createDb } from "@aimo/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { readyz, startTestServer } from "./server-env";

let running: TestServer;
let db: DbHandle;
let api: AimoClient;

beforeAll(async () => {
  running = await startTestServer("server_lancedb_outage", {
    // The write that meets the broken location waits for LanceDB's failure, so the circuit is open after it.
    VECTOR_SYNC_DEADLINE_MS: "120000",
    LANCEDB_RETRY_AFTER_MS: "3600000",
  });
  db = await createDb(running.mysql);
  const anonymous = createAimoClient({ url: running.server.url });
  const { token } = await anonymous.auth.register.mutate({
    email: "lance-outage@example.test",
    password: "outage password",
  });
  api = createAimoClient({ url: running.server.url, token });
});
afterAll(async () => {
  await db.close();
  await running.close();
});

async function jobsOf(ids: string[]) {
  const [rows] = await db.pool.query(
    "SELECT target_id AS targetId, attempts, last_error AS lastError FROM vector_jobs WHERE target_id IN (?)",
    [ids],
  );
  return rows as { targetId: string; attempts: number; lastError: string | null }[];
}

describe("an unusable LanceDB location", () => {
  it("opens the circuit on the first failure: later writes commit without trying LanceDB, search degrades, /readyz says degraded", async () => {
    const healthy = await api.memo.create.mutate({ content: "harbour lights before the outage" });
    expect(healthy.indexState).toEqual({ status: "indexed" });
    expect((await readyz(running.server)).body.dependencies.lancedb).toEqual({ state: "ok" });

    // A file where the LanceDB directory was: every LanceDB call now fails, after its own I/O retries.
    const location = join(running.dir, "lancedb");
    await rm(location, { recursive: true, force: true });
    await writeFile(location, "not a directory");

    const first = await api.memo.create.mutate({ content: "harbour lights as the disk went" });
    expect(first.indexState).toEqual({ status: "pending" });
    const ready = await readyz(running.server);
    expect(ready).toMatchObject({
      status: 200,
      body: {
        status: "degraded",
        dependencies: { mysql: { state: "ok" }, lancedb: { state: "unavailable" } },
      },
    });
    expect(JSON.stringify(ready.body.dependencies.lancedb)).toMatch(/"reason":".*Not a directory/);

    const later = await Promise.all(
      ["harbour lights one", "harbour lights two"].map((content) => api.memo.create.mutate({ content })),
    );
    const jobs = await jobsOf([first.id, ...later.map((m) => m.id)]);
    // The first write tried and failed (one attempt recorded); the later ones were not tried at all: no
    // attempt, no error, left due for the worker.
    expect(jobs.find((j) => j.targetId === first.id)).toMatchObject({ attempts: 1 });
    for (const memo of later) {
      expect(memo.indexState).toEqual({ status: "pending" });
      expect(jobs.find((j) => j.targetId === memo.id)).toMatchObject({ attempts: 0, lastError: null });
    }

    // Both legs fail at once; the keyword leg's MySQL scan still finds every memo, marked degraded.
    const found = await api.search.query.query({ query: "harbour lights" });
    expect(found.degraded).toBe(true);
    expect(found.hits.map((h) => h.memo.id).sort()).toEqual(
      [healthy.id, first.id, ...later.map((m) => m.id)].sort(),
    );
  });
});

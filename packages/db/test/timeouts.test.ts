import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { DbHandle } from "../src";
import { createDb, isMysqlUnavailable, MysqlTimeoutError } from "../src";
import { dropDatabase, scratchConfig } from "../src/testing";

const config = {
  ...scratchConfig("db_timeouts"),
  connectionLimit: 1,
  acquireTimeoutMs: 300,
  queryTimeoutMs: 300,
};
let handle: DbHandle;
beforeAll(async () => {
  handle = await createDb(config);
});
afterAll(async () => {
  await handle.close();
  await dropDatabase(config);
});

const failureOf = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("the pool's timeouts", () => {
  it("gives up on a statement that gets no answer, drops its connection and serves the next one on a new one", async () => {
    const [[before]] = (await handle.pool.query("SELECT CONNECTION_ID() AS id")) as unknown as [
      [{ id: number }],
    ];
    const error = await failureOf(handle.db.execute(sql`SELECT SLEEP(10)`));
    expect(error).toBeInstanceOf(Error);
    expect(isMysqlUnavailable(error)).toBe(true);
    expect((error as { cause?: unknown }).cause).toMatchObject({ code: "QUERY_TIMEOUT" });

    const [[after]] = (await handle.pool.query("SELECT CONNECTION_ID() AS id")) as unknown as [
      [{ id: number }],
    ];
    expect(after.id).not.toBe(before.id);
  });

  it("a statement may ask for more time than the pool's default", async () => {
    const [[row]] = (await handle.pool.query({
      sql: "SELECT SLEEP(0.5) AS slept",
      timeout: 10_000,
    })) as unknown as [[{ slept: number }]];
    expect(row.slept).toBe(0);
  });

  it("fails a wait for a free connection after the acquire timeout, and the held one still works", async () => {
    const held = await handle.pool.getConnection();
    try {
      const error = await failureOf(handle.pool.query("SELECT 1"));
      expect(error).toBeInstanceOf(MysqlTimeoutError);
      expect(error).toMatchObject({ code: "POOL_ACQUIRE_TIMEOUT" });
      expect(isMysqlUnavailable(error)).toBe(true);
      await held.query("SELECT 1");
    } finally {
      held.release();
    }
    await handle.pool.query("SELECT 1");
  });

  it("fails the rest of a transaction whose statement timed out at once, with the same error", async () => {
    const error = await failureOf(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT SLEEP(10)`);
      }),
    );
    expect(isMysqlUnavailable(error)).toBe(true);
    await handle.pool.query("SELECT 1");
  });
});

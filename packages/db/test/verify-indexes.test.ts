import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CRITICAL_QUERIES, verifyIndexes } from "../src";
import type { ScratchDatabase } from "../src/testing";
import { openScratchDatabase } from "../src/testing";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await openScratchDatabase("db_indexes");
});
afterAll(async () => {
  await scratch.drop();
});

describe("verifyIndexes", () => {
  it("finds an index for every critical query on the migrated schema", async () => {
    const checks = await verifyIndexes(scratch);
    expect(new Set(checks.map((c) => c.query)).size).toBe(CRITICAL_QUERIES.length);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("flags a full scan once an index is dropped", async () => {
    await scratch.pool.query("ALTER TABLE push_rules DROP INDEX push_rules_push_time_idx");
    const checks = await verifyIndexes(scratch);
    const dueRules = checks.find((c) => c.query === "push rules due at an hour");
    expect(dueRules).toMatchObject({ ok: false, type: "ALL", key: null });
    expect(checks.filter((c) => !c.ok)).toHaveLength(1);
  });
});

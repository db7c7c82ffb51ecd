import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { connect, Index } from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { warmVectorIndex } from "../src/warm";

const DIMS = 8;
const ROWS = 512;
const MB = 1_048_576;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-warm-"));
  const db = await connect(dir);
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: `m${i}`,
    embedding: Array.from({ length: DIMS }, (_, d) => Math.sin(i * (d + 1))),
  }));
  const table = await db.createTable("memo_vectors", rows);
  await table.createIndex("embedding", {
    config: Index.ivfFlat({ numPartitions: 4, distanceType: "cosine" }),
  });
  await table.createIndex("id", { config: Index.btree() });
  db.close();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The table of a fresh connection, as the store opens after each maintenance; records what it warms. */
async function freshTable() {
  const db = await connect(dir);
  const table = await db.openTable("memo_vectors");
  const warmed: string[] = [];
  const recording = new Proxy(table, {
    get(target, property) {
      if (property === "prewarmIndex")
        return (name: string) => {
          warmed.push(name);
          return target.prewarmIndex(name);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { table: recording, warmed, close: () => db.close() };
}

describe("warming a renewed connection's vector index", () => {
  it("loads the vector index, not the scalar ones, when it fits in half the cache", async () => {
    const fresh = await freshTable();
    await warmVectorIndex(fresh.table, { column: "embedding", bytesPerRow: DIMS * 4 }, 64 * MB);
    expect(fresh.warmed).toEqual(["embedding_idx"]);
    fresh.close();
  });

  it("leaves an index larger than half the cache to the searches", async () => {
    const fresh = await freshTable();
    await warmVectorIndex(fresh.table, { column: "embedding", bytesPerRow: DIMS * 4 }, ROWS * DIMS * 4);
    expect(fresh.warmed).toEqual([]);
    fresh.close();
  });
});

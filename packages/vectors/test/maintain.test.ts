import { connect } from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { maintainTables, VECTOR_INDEX_MAX_PARTS, VECTOR_INDEX_MIN_ROWS } from "../src/maintain";
import { createSerialQueue } from "../src/serial";
import { tempDir, unitVector } from "./helpers";

let dir: { dir: string; remove: () => Promise<void> };

beforeAll(async () => {
  dir = await tempDir("maintain");
});
afterAll(async () => {
  await dir.remove();
});

describe("maintainTables", () => {
  it("compacts beside a stream of new rows: neither waits for the other, and every row is kept", async () => {
    const db = await connect(dir.dir);
    try {
      const table = await db.createTable("notes", [{ id: "n0", uid: "u" }]);
      for (let i = 1; i < 40; i++) await table.add([{ id: `n${i}`, uid: "u" }]);
      const writes = { queue: createSerialQueue(), onCommit: () => undefined };
      let maintained = false;
      let added = 0;
      // New rows written from inside the table's write queue until maintenance ends: had the compaction
      // waited for its turn in that queue, neither would ever finish.
      const stream = writes.queue(async () => {
        while (!maintained) await table.add([{ id: `new${added++}`, uid: "u" }]);
      });
      const report = await maintainTables([{ name: "notes", table, keyColumns: ["id"], writes }], 0).finally(
        () => (maintained = true),
      );
      await stream;
      const [notes] = report.tables;
      expect(notes!.fragmentsBefore).toBeGreaterThanOrEqual(40);
      expect(notes!.fragmentsAfter).toBeLessThan(notes!.fragmentsBefore);
      expect(notes!.indexed).toEqual(["id"]);
      expect(added).toBeGreaterThan(0);
      expect(await table.countRows()).toBe(40 + added);
      expect(await table.countRows("id LIKE 'new%'")).toBe(added);
    } finally {
      db.close();
    }
  });
});

describe("the vector index", () => {
  it("is rebuilt as one once maintenance has folded new rows into it as more than a few parts", async () => {
    const db = await connect(dir.dir);
    try {
      const row = (i: number) => ({ id: `v${i}`, uid: `u${i % 3}`, vector: unitVector(i, 8) });
      const table = await db.createTable(
        "vectors",
        Array.from({ length: VECTOR_INDEX_MIN_ROWS }, (_, i) => row(i)),
      );
      const tables = [
        {
          name: "vectors",
          table,
          vectorColumn: "vector",
          keyColumns: ["uid"],
          writes: { queue: createSerialQueue(), onCommit: () => undefined },
        },
      ];
      const parts = async () => (await table.indexStats("vector_idx"))!.numIndices;
      await maintainTables(tables, 0);
      const seen = [await parts()];
      for (let i = 0; i <= VECTOR_INDEX_MAX_PARTS; i++) {
        await table.add([row(VECTOR_INDEX_MIN_ROWS + i)]);
        await maintainTables(tables, 0);
        seen.push(await parts());
      }
      expect(seen).toEqual([...Array.from({ length: VECTOR_INDEX_MAX_PARTS }, (_, i) => i + 1), 1, 2]);
      const newest = VECTOR_INDEX_MIN_ROWS + VECTOR_INDEX_MAX_PARTS;
      const [hit] = (await table
        .vectorSearch(unitVector(newest, 8))
        .distanceType("cosine")
        .where(`uid = 'u${newest % 3}'`)
        .limit(1)
        .toArray()) as { id: string }[];
      expect(hit?.id).toBe(`v${newest}`);
      expect((await table.indexStats("vector_idx"))!.numUnindexedRows).toBe(0);
    } finally {
      db.close();
    }
  });
});

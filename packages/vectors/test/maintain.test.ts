import { connect } from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { maintainTables } from "../src/maintain";
import { createSerialQueue } from "../src/serial";
import { tempDir } from "./helpers";

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

import { parseEnv } from "@aimo/env";
import { connect } from "@lancedb/lancedb";
import { describe, expect, it } from "vitest";

import { VECTOR_INDEX_MIN_ROWS, vectorsEnvSchema } from "../src";
import type { MaintainedTable } from "../src/maintain";
import { cleanupCutoff, maintainTables, maintenanceDue } from "../src/maintain";
import { createSerialQueue } from "../src/serial";
import { createVersionClock } from "../src/version-clock";
import { tempDir, unitVector } from "./helpers";

const at = (...times: number[]) => times.map((t) => ({ timestamp: new Date(t) }));
const MINUTE = 60_000;

describe("the version cleanup's cutoff", () => {
  it("keeps the version that was current at the retention's horizon and every later one", () => {
    const cutoff = cleanupCutoff(at(0, 10 * MINUTE, 20 * MINUTE), 25 * MINUTE, 2 * MINUTE);
    // LanceDB removes what was made before the cutoff: the first version goes, the one current until minute 20 stays.
    expect(cutoff.getTime()).toBe(20 * MINUTE);
    expect(cleanupCutoff(at(0, 10 * MINUTE, 20 * MINUTE), 21 * MINUTE, 2 * MINUTE).getTime()).toBe(
      10 * MINUTE,
    );
  });

  it("keeps a version made long ago that was superseded a moment ago", () => {
    const now = 24 * 60 * MINUTE;
    expect(cleanupCutoff(at(0, now - 1000), now, 2 * MINUTE).getTime()).toBe(0);
  });

  it("removes nothing when every version is younger than the retention, and all but the newest with none", () => {
    expect(cleanupCutoff(at(5 * MINUTE, 6 * MINUTE), 6 * MINUTE, 2 * MINUTE).getTime()).toBe(4 * MINUTE);
    expect(cleanupCutoff(at(5 * MINUTE, 6 * MINUTE), 7 * MINUTE, 0).getTime()).toBe(6 * MINUTE);
  });
});

describe("the retention setting", () => {
  it("is in minutes, and the days variable it replaced is refused with what to set instead", () => {
    expect(vectorsEnvSchema.parse({}).LANCEDB_VERSION_RETENTION_MINUTES).toBe(0.5);
    expect(() => parseEnv(vectorsEnvSchema, { LANCEDB_VERSION_RETENTION_DAYS: "7" })).toThrow(
      /LANCEDB_VERSION_RETENTION_DAYS: was replaced by LANCEDB_VERSION_RETENTION_MINUTES/,
    );
  });
});

describe("consolidating the vector index", () => {
  it("rebuilds an index of several parts into one when asked and affordable, and only then", async () => {
    const own = await tempDir("vectors-consolidate");
    const db = await connect(own.dir);
    const row = (i: number) => ({ id: `m${i}`, embedding: [...unitVector(i, 8)] });
    try {
      const table = await db.createTable(
        "memo_vectors",
        Array.from({ length: VECTOR_INDEX_MIN_ROWS }, (_, i) => row(i)),
      );
      const maintained: MaintainedTable = {
        name: "memo_vectors",
        table,
        vectorColumn: "embedding",
        keyColumns: [],
        writes: { queue: createSerialQueue(), onCommit: () => undefined, clock: createVersionClock() },
        vectorBuilds: { endedAt: 0, tookMs: 0 },
      };
      let next = VECTOR_INDEX_MIN_ROWS;
      const maintainAfterOneRow = async (consolidate: boolean) => {
        await table.add([row(next++)]);
        const [report] = (await maintainTables([maintained], 0, consolidate)).tables;
        return report!.vectorIndexParts;
      };
      await maintainTables([maintained], 0);
      expect(maintained.vectorBuilds.endedAt).toBeGreaterThan(0);
      expect(await maintainAfterOneRow(false)).toBe(2);
      // The last build ended a moment ago and (say) took an hour: a rebuild now would cost more than its share.
      maintained.vectorBuilds = { endedAt: Date.now(), tookMs: 3_600_000 };
      expect(await maintenanceDue([maintained], 0, true)).toBe(false);
      expect(await maintainAfterOneRow(true)).toBe(3);
      maintained.vectorBuilds = { endedAt: 0, tookMs: 1 };
      expect(await maintenanceDue([maintained], 0, false)).toBe(false);
      expect(await maintenanceDue([maintained], 0, true)).toBe(true);
      expect(await maintainAfterOneRow(true)).toBe(1);
      expect(maintained.vectorBuilds.endedAt).toBeGreaterThan(0);
      expect(await maintenanceDue([maintained], 0, true)).toBe(false);
      const [best] = (await table
        .vectorSearch(row(next - 1).embedding)
        .limit(1)
        .toArray()) as { id: string }[];
      expect(best!.id).toBe(`m${next - 1}`);
    } finally {
      db.close();
      await own.remove();
    }
  });
});

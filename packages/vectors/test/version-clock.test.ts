import { connect } from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cleanupCutoff } from "../src/maintain";
import { createVersionClock } from "../src/version-clock";
import { tempDir } from "./helpers";

describe("the version clock", () => {
  it("answers the start of the last write that ended by the horizon, or nothing before any did", async () => {
    let time = 100;
    const clock = createVersionClock(() => time);
    const write = (took: number) => clock.versioned(async () => void (time += took));
    expect(clock.cutoffAt(1_000)).toBeUndefined();
    await write(10); // 100-110
    time = 200;
    await write(50); // 200-250
    expect(clock.cutoffAt(105)).toBeUndefined();
    expect(clock.cutoffAt(110)?.getTime()).toBe(100);
    expect(clock.cutoffAt(249)?.getTime()).toBe(100);
    expect(clock.cutoffAt(250)?.getTime()).toBe(200);
  });

  it("dates nothing for a write that failed", async () => {
    const clock = createVersionClock(() => 5);
    await expect(clock.versioned(() => Promise.reject(new Error("conflict")))).rejects.toThrow("conflict");
    expect(clock.cutoffAt(10)).toBeUndefined();
  });
});

describe("a cleanup at the clock's cutoff, on a real LanceDB table", () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir("version-clock");
  });
  afterAll(() => dir.remove());

  it("keeps the version current at the horizon and every later one, as the cutoff from the listed versions does", async () => {
    const db = await connect(dir.dir);
    const table = await db.createTable("t", [{ id: "a", n: 0 }]);
    const clock = createVersionClock();
    const add = (n: number) => clock.versioned(() => table.add([{ id: `r${n}`, n }]));
    for (let n = 1; n <= 5; n++) await add(n);
    const horizon = Date.now();
    for (let n = 6; n <= 8; n++) await add(n);

    const versions = await table.listVersions();
    const listed = cleanupCutoff(versions, horizon, 0);
    const dated = clock.cutoffAt(horizon)!;
    // Both keep the version current at the horizon (the fifth add's), and the clock's keeps no more than it.
    expect(dated.getTime()).toBeLessThanOrEqual(listed.getTime());
    const currentAtHorizon = versions.filter((v) => v.timestamp.getTime() <= horizon).at(-1)!;
    expect(currentAtHorizon.timestamp.getTime()).toBeGreaterThanOrEqual(dated.getTime());

    await table.optimize({ cleanupOlderThan: dated });
    const kept = (await table.listVersions()).map((v) => v.version);
    expect(kept).toContain(currentAtHorizon.version);
    expect(kept).not.toContain(versions[0]!.version);
    expect(await table.countRows()).toBe(9);
    db.close();
  });
});

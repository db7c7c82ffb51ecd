import { describe, expect, it } from "vitest";

import { createNativeGarbageCollector, fullCollection } from "../src/native-garbage";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("native garbage collector", () => {
  it("collects once every `every` commits, after the committing code has run", async () => {
    let collections = 0;
    const collector = createNativeGarbageCollector(3, () => () => collections++);
    collector.afterCommit();
    collector.afterCommit();
    await nextTurn();
    expect(collections).toBe(0);
    collector.afterCommit();
    expect(collections).toBe(0);
    await nextTurn();
    expect(collections).toBe(1);
    for (let i = 0; i < 3; i++) collector.afterCommit();
    await nextTurn();
    expect(collections).toBe(2);
  });

  it("collects after a connection is renewed, and counts the commits from there", async () => {
    let collections = 0;
    const collector = createNativeGarbageCollector(3, () => () => collections++);
    collector.afterCommit();
    collector.afterCommit();
    collector.afterRenewal();
    await nextTurn();
    expect(collections).toBe(1);
    collector.afterCommit();
    collector.afterCommit();
    await nextTurn();
    expect(collections).toBe(1);
    collector.afterCommit();
    await nextTurn();
    expect(collections).toBe(2);
  });

  it("never collects when switched off", async () => {
    let taken = 0;
    const collector = createNativeGarbageCollector(0, () => {
      taken++;
      return () => undefined;
    });
    for (let i = 0; i < 10; i++) collector.afterCommit();
    collector.afterRenewal();
    await nextTurn();
    expect(taken).toBe(0);
  });

  it("takes V8's full collection, which finalizes what nothing references", async () => {
    let finalized!: () => void;
    const done = new Promise<void>((resolve) => (finalized = resolve));
    const registry = new FinalizationRegistry<string>(() => finalized());
    (() => registry.register({ payload: new Array(1000).fill("x") }, "dropped"))();
    fullCollection()();
    await done;
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});

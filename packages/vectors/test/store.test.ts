import { spawn } from "node:child_process";

import { connect } from "@lancedb/lancedb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VectorStore } from "../src";
import {
  cacheKeyOf,
  MAX_VECTOR_INDEX_PARTS,
  openVectorStore,
  VECTOR_INDEX_MIN_ROWS,
  VectorModelMismatchError,
} from "../src";
import { ivfProbesFor } from "../src/vector-table";
import { configFor, tempDir, unitVector } from "./helpers";

let dir: { dir: string; remove: () => Promise<void> };
let store: VectorStore;

beforeAll(async () => {
  dir = await tempDir("vectors");
  store = await openVectorStore(configFor(dir.dir));
});
afterAll(async () => {
  await store.close();
  await dir.remove();
});

describe("vector tables", () => {
  it("searches only the caller's vectors among thousands from several users, best first, scored in [0, 1]", async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({
      id: `m${i}`,
      uid: `user${i % 5}`,
      vector: unitVector(i, 8),
    }));
    await store.memos.upsert(rows);
    const query = unitVector(7, 8);
    const hits = await store.memos.search("user2", query, { limit: 50 });
    expect(hits).toHaveLength(50);
    const owners = new Map(rows.map((r) => [r.id, r.uid]));
    expect(hits.every((h) => owners.get(h.id) === "user2")).toBe(true);
    expect(hits.every((h) => h.similarity >= 0 && h.similarity <= 1)).toBe(true);
    expect([...hits].sort((a, b) => b.similarity - a.similarity)).toEqual(hits);
    // m7 belongs to user2 and is the query itself.
    expect(hits[0]).toMatchObject({ id: "m7" });
    expect(hits[0]!.similarity).toBeCloseTo(1, 5);
    expect(await store.memos.search("user2", query, { limit: 10, minSimilarity: 0.99 })).toEqual([hits[0]]);
    expect(await store.memos.search("nobody", query, { limit: 10 })).toEqual([]);
    const restricted = await store.memos.search("user2", query, { limit: 10, ids: ["m2", "m12", "m3"] });
    expect(restricted.map((h) => h.id).sort()).toEqual(["m12", "m2"]);
  });

  it("probes a share of the index's ~sqrt(rows) partitions, so a larger table is not searched more coarsely", () => {
    expect(ivfProbesFor(0)).toBe(20);
    expect(ivfProbesFor(20_000)).toBe(20);
    expect(ivfProbesFor(100_000)).toBe(45);
    expect(ivfProbesFor(1_000_000)).toBe(140);
  });

  it("keeps one row per id and works with quotes in ids", async () => {
    const tricky = [`it's`, `say "hi"`, `a'); DROP TABLE x; --`];
    for (const id of tricky) {
      await store.memos.upsert([{ id, uid: `o'neil`, vector: unitVector(1, 8) }]);
      await store.memos.upsert([{ id, uid: `o'neil`, vector: unitVector(2, 8) }]);
    }
    expect(await store.memos.count(`o'neil`)).toBe(3);
    const got = await store.memos.get(tricky);
    expect(got.map((r) => r.id).sort()).toEqual([...tricky].sort());
    expect(Array.from(got[0]!.vector)).toEqual(Array.from(unitVector(2, 8)));
    const hits = await store.memos.search(`o'neil`, unitVector(2, 8), { limit: 5, ids: [tricky[0]!] });
    expect(hits.map((h) => h.id)).toEqual([tricky[0]]);
    await store.memos.delete([tricky[0]!]);
    expect(await store.memos.count(`o'neil`)).toBe(2);
    await store.memos.deleteByUser(`o'neil`);
    expect(await store.memos.count(`o'neil`)).toBe(0);
  });

  it("appends rows as given, the last of a repeated id winning, for bulk loads that checked ids first", async () => {
    await store.memos.add([
      { id: `k'1`, uid: "keeper", vector: unitVector(1, 8) },
      { id: "k2", uid: "keeper", vector: unitVector(2, 8) },
      { id: "k2", uid: "keeper", vector: unitVector(3, 8) },
    ]);
    const rows = new Map((await store.memos.get([`k'1`, "k2"])).map((r) => [r.id, Array.from(r.vector)]));
    expect(rows).toEqual(
      new Map([
        [`k'1`, Array.from(unitVector(1, 8))],
        ["k2", Array.from(unitVector(3, 8))],
      ]),
    );
    expect(await store.memos.count("keeper")).toBe(2);
  });

  it("loses nothing under 200 concurrent upserts", async () => {
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.attachments.upsert([{ id: `a${i}`, uid: "u-conc", vector: unitVector(i, 4) }]),
      ),
    );
    expect(await store.attachments.count("u-conc")).toBe(200);
    const scanned: string[] = [];
    for await (const batch of store.attachments.scanIds(64)) scanned.push(...batch.map((r) => r.id));
    expect(scanned.filter((id) => id.startsWith("a"))).toHaveLength(200);
  });

  it("commits concurrent writes together: 200 upserts make one table version, 50 cache puts one, none lost", async () => {
    const db = await connect(dir.dir, { readConsistencyInterval: 0 });
    const [attachments, cache] = await Promise.all([
      db.openTable("attachment_vectors"),
      db.openTable("embedding_cache"),
    ]);
    try {
      const before = await attachments.version();
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          store.attachments.upsert([{ id: `c${i}`, uid: "u-coalesce", vector: unitVector(i, 4) }]),
        ),
      );
      expect((await attachments.version()) - before).toBe(1);
      expect(await store.attachments.count("u-coalesce")).toBe(200);

      const cacheBefore = await cache.version();
      // Overlapping keys: each is new to exactly one of the puts.
      const inserted = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.embeddingCache.putMany([
            { modelHash: "co", contentHash: `k${i}`, vector: unitVector(i, 8) },
            { modelHash: "co", contentHash: `k${(i + 1) % 50}`, vector: unitVector(i + 1, 8) },
          ]),
        ),
      );
      expect((await cache.version()) - cacheBefore).toBe(1);
      expect(inserted.reduce((a, b) => a + b, 0)).toBe(50);
      expect(
        await store.embeddingCache.putMany([
          { modelHash: "co", contentHash: "k3", vector: unitVector(3, 8) },
        ]),
      ).toBe(0);
    } finally {
      attachments.close();
      cache.close();
      db.close();
    }
  });

  it("keeps every write made while maintain() runs, upserts and deletes alike", async () => {
    const writes = (async () => {
      for (let i = 0; i < 60; i++) {
        await store.attachments.upsert([{ id: `w${i}`, uid: "u-maint", vector: unitVector(i, 4) }]);
        if (i % 3 === 0) await store.attachments.delete([`w${i}`]);
      }
    })();
    await Promise.all([store.maintain(), writes]);
    const kept = Array.from({ length: 60 }, (_, i) => `w${i}`).filter((_, i) => i % 3 !== 0);
    expect((await store.attachments.get(kept.concat(["w0", "w3"]))).map((r) => r.id).sort()).toEqual(
      [...kept].sort(),
    );
  });

  it("sees a write made by another process through the long-lived connection", async () => {
    expect(await store.memos.get(["from-child"])).toEqual([]);
    const script = `
      import { openVectorStore } from "./src/index.ts";
      const store = await openVectorStore(JSON.parse(process.argv[1]));
      await store.memos.upsert([{ id: "from-child", uid: "child", vector: Float32Array.from([1,0,0,0,0,0,0,0]) }]);
      await store.close();
    `;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, JSON.stringify(configFor(dir.dir))],
      {
        cwd: new URL("..", import.meta.url).pathname,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
    expect((await store.memos.get(["from-child"])).map((r) => r.uid)).toEqual(["child"]);
  });

  it("maintain() folds hundreds of fragments into a few and keeps every row; it is due after many writes", async () => {
    await store.maintain();
    expect(await store.maintenanceDue()).toBe(false);
    for (let i = 0; i < 300; i++) {
      await store.embeddingCache.putMany([
        { modelHash: "mh", contentHash: `h${i}`, vector: unitVector(i, 8) },
      ]);
      if (i === 0) expect(await store.maintenanceDue()).toBe(false);
    }
    expect(await store.maintenanceDue()).toBe(true);
    const report = await store.maintain();
    expect(await store.maintenanceDue()).toBe(false);
    const cache = report.tables.find((t) => t.name === "embedding_cache")!;
    expect(cache.fragmentsBefore).toBeGreaterThanOrEqual(300);
    expect(cache.fragmentsAfter).toBeLessThanOrEqual(3);
    expect(cache.indexed).toContain("contentHash");
    const memos = report.tables.find((t) => t.name === "memo_vectors")!;
    expect(memos.indexed).toEqual(expect.arrayContaining(["memoId", "uid"]));
    const found = await store.embeddingCache.getMany(
      "mh",
      Array.from({ length: 300 }, (_, i) => `h${i}`),
    );
    expect(found.size).toBe(300);
    expect(await store.memos.search("user2", unitVector(7, 8), { limit: 1 })).toMatchObject([{ id: "m7" }]);
  }, 240_000); // 300 commits and two compactions: about 10 s alone, far longer beside the other packages' tests
});

describe("two processes on one LanceDB location", () => {
  it("maintains while another store writes: a compaction preempted by the other's commits is run again", async () => {
    const shared = await tempDir("vectors-two");
    // Superseded versions kept for minutes, as processes sharing a location need (LANCEDB_VERSION_RETENTION_MINUTES).
    const config = configFor(shared.dir, { versionRetentionMinutes: 2 });
    const writer = await openVectorStore(config);
    const maintainer = await openVectorStore(config);
    try {
      let writing = true;
      const writes = (async () => {
        for (let i = 0; i < 60; i++) {
          await writer.memos.upsert([
            { id: `w${i}`, uid: "u-two", vector: unitVector(i, 8) },
            { id: `kept${i % 5}`, uid: "u-two", vector: unitVector(100 + i, 8) },
          ]);
          await writer.memos.delete([`w${i - 1}`]);
        }
      })().finally(() => (writing = false));
      // Without retries about a quarter of these compactions failed (preempted by a Delete or an Update).
      const maintaining = (async () => {
        let runs = 0;
        for (; writing; runs++) await maintainer.maintain();
        return runs;
      })();
      const [written, maintained] = await Promise.allSettled([writes, maintaining]);
      if (written.status === "rejected") throw written.reason;
      if (maintained.status === "rejected") throw maintained.reason;
      expect(maintained.value).toBeGreaterThan(1);
      expect((await maintainer.memos.get(["w59", "kept0", "kept4", "w58"])).map((r) => r.id).sort()).toEqual([
        "kept0",
        "kept4",
        "w59",
      ]);
      expect(await maintainer.memos.count("u-two")).toBe(6);
    } finally {
      await writer.close();
      await maintainer.close();
      await shared.remove();
    }
  });
});

describe("indexed search", () => {
  it("scores exact cosines once the table has a vector index, as before it", async () => {
    const own = await tempDir("vectors-indexed");
    const indexed = await openVectorStore(configFor(own.dir));
    try {
      const rows = Array.from({ length: VECTOR_INDEX_MIN_ROWS + 1000 }, (_, i) => ({
        id: `m${i}`,
        uid: `user${i % 3}`,
        vector: unitVector(i, 8),
      }));
      // Six bulk loads into the main tier, six fragments: the index is built over them, then the compaction remaps it.
      for (let i = 0; i < rows.length; i += 1000) await indexed.memos.add(rows.slice(i, i + 1000));
      // Fewer writes than MAINTAIN_AFTER_WRITES, but the table crossed the index threshold: maintenance is due.
      expect(await indexed.maintenanceDue()).toBe(true);
      const report = await indexed.maintain();
      expect(report.tables.find((t) => t.name === "memo_vectors")).toMatchObject({
        fragmentsBefore: 6,
        fragmentsAfter: 1,
        vectorIndexParts: 1,
        indexed: expect.arrayContaining(["embedding"]) as unknown,
      });
      const query = unitVector(123_456, 8);
      const hits = await indexed.memos.search("user1", query, { limit: 20 });
      expect(hits).toHaveLength(20);
      const vectors = new Map(rows.map((r) => [r.id, r.vector]));
      for (const hit of hits) {
        const cosine = vectors.get(hit.id)!.reduce((sum, x, i) => sum + x * query[i]!, 0);
        expect(hit.similarity).toBeCloseTo(Math.max(0, cosine), 4);
      }
    } finally {
      await indexed.close();
      await own.remove();
    }
  });

  it("keeps the vector index to a bounded number of parts as maintenance folds new rows into it", async () => {
    const own = await tempDir("vectors-deltas");
    const indexed = await openVectorStore(configFor(own.dir));
    const row = (i: number) => ({ id: `m${i}`, uid: `user${i % 3}`, vector: unitVector(i, 8) });
    try {
      await indexed.memos.add(Array.from({ length: VECTOR_INDEX_MIN_ROWS }, (_, i) => row(i)));
      const parts: number[] = [];
      // Rows reach the main tier's index by bulk loads, as here, or folds of the recent tier.
      for (let round = 0; round <= MAX_VECTOR_INDEX_PARTS; round++) {
        await indexed.memos.add([row(VECTOR_INDEX_MIN_ROWS + round)]);
        const report = await indexed.maintain();
        parts.push(report.tables.find((t) => t.name === "memo_vectors")!.vectorIndexParts!);
      }
      // Each maintenance adds one delta to the index until it has too many, then rebuilds it as one.
      expect(parts).toEqual([...Array.from({ length: MAX_VECTOR_INDEX_PARTS }, (_, i) => i + 1), 1]);
      const newest = row(VECTOR_INDEX_MIN_ROWS + MAX_VECTOR_INDEX_PARTS);
      const [best] = await indexed.memos.search(newest.uid, newest.vector, { limit: 1 });
      expect(best!.id).toBe(newest.id);
      expect(best!.similarity).toBeCloseTo(1, 4);
    } finally {
      await indexed.close();
      await own.remove();
    }
  });
});

describe("connection renewal", () => {
  it("maintain() moves the store to a fresh connection: calls in flight finish on the old one, later ones see everything", async () => {
    const own = await tempDir("vectors-renewal");
    const store = await openVectorStore(configFor(own.dir));
    try {
      const rows = Array.from({ length: 300 }, (_, i) => ({
        id: `m${i}`,
        uid: "u1",
        vector: unitVector(i, 8),
      }));
      await store.memos.upsert(rows);
      await store.memoTexts.upsert([{ id: "m0", uid: "u1", text: "咖啡 coffee" }]);
      const query = unitVector(7, 8);
      const before = await store.memos.search("u1", query, { limit: 5 });
      // Reads and a write started before the renewal, all at once with it.
      const [during, , counted] = await Promise.all([
        store.memos.search("u1", query, { limit: 5 }),
        store.maintain(),
        store.memos.count("u1"),
        store.memos.upsert([{ id: "m300", uid: "u1", vector: unitVector(300, 8) }]),
      ]);
      expect(during).toEqual(before);
      expect(counted === 300 || counted === 301).toBe(true);
      expect(await store.memos.count("u1")).toBe(301);
      expect(await store.memos.search("u1", query, { limit: 5 })).toEqual(before);
      expect((await store.memoTexts.search("u1", "咖啡", { limit: 5 })).map((hit) => hit.id)).toEqual(["m0"]);
      await store.ping();
    } finally {
      await store.close();
      await own.remove();
    }
  });
});

describe("caches", () => {
  it("keeps an existing key and filters by modality", async () => {
    await store.multimodalCache.putMany([
      { modelHash: "mm", contentHash: "same", modalityType: "image", vector: unitVector(1, 4) },
      { modelHash: "mm", contentHash: "same", modalityType: "text", vector: unitVector(2, 4) },
    ]);
    await store.multimodalCache.putMany([
      { modelHash: "mm", contentHash: "same", modalityType: "image", vector: unitVector(3, 4) },
    ]);
    const image = await store.multimodalCache.getMany("mm", ["same"], "image");
    expect(Array.from(image.get("same")!)).toEqual(Array.from(unitVector(1, 4)));
    const text = await store.multimodalCache.getMany("mm", ["same"], "text");
    expect(Array.from(text.get("same")!)).toEqual(Array.from(unitVector(2, 4)));
  });

  it("lists the keys it holds by model, modality and content; append adds entries without a lookup", async () => {
    await store.multimodalCache.putMany([
      { modelHash: "count", contentHash: "kept", modalityType: "image", vector: unitVector(1, 4) },
    ]);
    const batch = [
      { modelHash: "count", contentHash: "kept", modalityType: "text", vector: unitVector(3, 4) },
      { modelHash: "count", contentHash: "new", modalityType: "image", vector: unitVector(4, 4) },
      { modelHash: "count", contentHash: "new", modalityType: "image", vector: unitVector(5, 4) },
      { modelHash: "other", contentHash: "new", modalityType: "image", vector: unitVector(6, 4) },
    ];
    const before = await store.multimodalCache.keys();
    expect(before.has(cacheKeyOf({ modelHash: "count", contentHash: "kept", modalityType: "image" }))).toBe(
      true,
    );
    expect(batch.filter((e) => before.has(cacheKeyOf(e)))).toEqual([]);
    await store.multimodalCache.append(batch);
    const after = await store.multimodalCache.keys();
    expect(after.size - before.size).toBe(3);
    expect(Array.from((await store.multimodalCache.getMany("count", ["new"], "image")).get("new")!)).toEqual(
      Array.from(unitVector(5, 4)),
    );
    expect(await store.multimodalCache.putMany(batch)).toBe(0);
  });
});

describe("model records", () => {
  it("refuses to open a table built with other dimensions or another model, saying how to re-embed", async () => {
    await expect(openVectorStore(configFor(dir.dir, { embeddingDimensions: 16 }))).rejects.toThrow(
      VectorModelMismatchError,
    );
    await expect(openVectorStore(configFor(dir.dir, { embeddingDimensions: 16 }))).rejects.toThrow(
      /pnpm vectors:reconcile/,
    );
    await expect(openVectorStore(configFor(dir.dir, { embeddingModel: "other-model" }))).rejects.toThrow(
      /memo_vectors .*"test-model", 8 dimensions.*"other-model", 8 dimensions/,
    );
    const again = await openVectorStore(configFor(dir.dir));
    expect(await again.memos.count()).toBeGreaterThan(0);
    await again.close();
  });

  it("rebuilds an empty table for a new model instead of refusing", async () => {
    const fresh = await tempDir("vectors-empty");
    await (await openVectorStore(configFor(fresh.dir))).close();
    const rebuilt = await openVectorStore(
      configFor(fresh.dir, { embeddingDimensions: 16, multimodalModel: "new-mm" }),
    );
    expect(rebuilt.memos.dimensions).toBe(16);
    await rebuilt.memos.upsert([{ id: "m", uid: "u", vector: unitVector(1, 16) }]);
    expect(await rebuilt.memos.count()).toBe(1);
    await rebuilt.close();
    await fresh.remove();
  });
});

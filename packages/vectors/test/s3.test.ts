import type { FakeS3 } from "@aimo/fake-services";
import { startFakeS3 } from "@aimo/fake-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { VectorStore } from "../src";
import { openVectorStore } from "../src";
import { configFor, unitVector } from "./helpers";

let s3: FakeS3;
let stores: VectorStore[];

/** LANCEDB_URI=s3://aimo/lancedb with LANCEDB_STORAGE_OPTIONS pointing at an S3-compatible endpoint. */
const s3Config = () =>
  configFor("s3://aimo/lancedb", {
    storageOptions: {
      endpoint: s3.url,
      aws_access_key_id: "test-key",
      aws_secret_access_key: "test-secret",
      region: "us-east-1",
      allow_http: "true",
    },
  });

const versionFiles = () =>
  [...s3.objects.keys()].filter((key) => key.startsWith("aimo/lancedb/memo_vectors_recent.lance/_versions/"))
    .length;

beforeAll(async () => {
  s3 = await startFakeS3();
  // Two connections, as two server processes would hold: each commits on its own.
  stores = [await openVectorStore(s3Config()), await openVectorStore(s3Config())];
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await s3.close();
});

describe("LanceDB on S3-compatible storage", () => {
  it("takes concurrent writes from two connections without losing one, and each reads the other's", async () => {
    const [a, b] = stores as [VectorStore, VectorStore];
    const rows = (store: string) =>
      Array.from({ length: 12 }, (_, i) => ({ id: `${store}${i}`, uid: "u1", vector: unitVector(i + 1, 8) }));
    await Promise.all([
      ...rows("a").map((row) => a.memos.upsert([row])),
      ...rows("b").map((row) => b.memos.upsert([row])),
      a.memoTexts.upsert([{ id: "a0", uid: "u1", text: "object storage keeps the vectors" }]),
      b.memoTexts.upsert([{ id: "b0", uid: "u1", text: "several servers write at once" }]),
    ]);

    expect(await a.memos.count("u1")).toBe(24);
    expect(await b.memos.count("u1")).toBe(24);
    const [nearest] = await a.memos.search("u1", unitVector(3, 8), { limit: 1 });
    expect(nearest!.similarity).toBeCloseTo(1, 5);
    expect(["a2", "b2"]).toContain(nearest!.id);
    expect((await a.memoTexts.search("u1", "servers", { limit: 5 })).map((hit) => hit.id)).toEqual(["b0"]);
    expect((await b.memoTexts.search("u1", "storage", { limit: 5 })).map((hit) => hit.id)).toEqual(["a0"]);
  });

  it("compacts and removes old versions in the bucket while the other connection writes", async () => {
    const [a, b] = stores as [VectorStore, VectorStore];
    // One commit per upsert, so the table has more fragments than the concurrent write can add back.
    for (let i = 0; i < 6; i++) {
      await a.memos.upsert([{ id: `s${i}`, uid: "u1", vector: unitVector(40 + i, 8) }]);
    }
    const versionsBefore = versionFiles();
    const [report] = await Promise.all([
      a.maintain(),
      b.memos.upsert([{ id: "late", uid: "u1", vector: unitVector(99, 8) }]),
    ]);
    // Upserts go to the recent tier.
    const memos = report.tables.find((table) => table.name === "memo_vectors_recent")!;
    expect(memos.fragmentsAfter).toBeLessThan(memos.fragmentsBefore);
    expect(versionFiles()).toBeLessThan(versionsBefore);
    expect(await b.memos.count("u1")).toBe(31);
    expect(await a.memos.count("u1")).toBe(31);
  });
});

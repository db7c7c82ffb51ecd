/**
 * Semantic search for one user holding 10k memos in a table of 100k (1536 dims, 10 users), against a
 * brute-force Float32Array scan of that user's vectors in the same process.
 * BENCH_ROWS (default 100000), BENCH_USERS (10), BENCH_DIMS (1536), BENCH_QUERIES (200).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { openVectorStore } from "../src";

const rowsTotal = Number(process.env.BENCH_ROWS ?? 100_000);
const users = Number(process.env.BENCH_USERS ?? 10);
const dims = Number(process.env.BENCH_DIMS ?? 1536);
const queries = Number(process.env.BENCH_QUERIES ?? 200);

function randomUnit(seed: number): Float32Array {
  const v = new Float32Array(dims);
  let x = (seed * 2654435761) >>> 0 || 1;
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    v[i] = ((x >>> 0) / 2 ** 32) * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dims; i++) v[i]! *= scale;
  return v;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

const dir = await mkdtemp(join(tmpdir(), "aimo-bench-vectors-"));
const store = await openVectorStore({
  uri: dir,
  versionRetentionDays: 0,
  embeddingModel: "bench",
  embeddingDimensions: dims,
  multimodalModel: "bench-mm",
  multimodalDimensions: 4,
});
try {
  const started = performance.now();
  const target: Float32Array[] = [];
  for (let offset = 0; offset < rowsTotal; offset += 5000) {
    const batch = [];
    for (let i = offset; i < Math.min(rowsTotal, offset + 5000); i++) {
      const vector = randomUnit(i + 1);
      const uid = `user${i % users}`;
      if (uid === "user3") target.push(vector);
      batch.push({ id: `m${i}`, uid, vector });
    }
    await store.memos.upsert(batch);
  }
  const loadedAt = performance.now();
  const report = await store.maintain();
  const maintainedAt = performance.now();
  const memoReport = report.tables.find((t) => t.name === "memo_vectors")!;
  console.log(
    `loaded ${rowsTotal} x ${dims} in ${((loadedAt - started) / 1000).toFixed(1)} s; maintain() in ` +
      `${((maintainedAt - loadedAt) / 1000).toFixed(1)} s (indexes: ${memoReport.indexed.join(", ")}; ` +
      `fragments ${memoReport.fragmentsBefore} -> ${memoReport.fragmentsAfter})`,
  );

  const queryVectors = Array.from({ length: queries }, (_, i) => randomUnit(10_000_000 + i));
  const bruteForce = (query: Float32Array) => {
    // Exact top 10 by dot product (unit vectors: cosine), kept in a small sorted list.
    const top: { index: number; score: number }[] = [];
    for (let r = 0; r < target.length; r++) {
      const row = target[r]!;
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += row[i]! * query[i]!;
      if (top.length < 10 || dot > top[top.length - 1]!.score) {
        top.push({ index: r, score: dot });
        top.sort((a, b) => b.score - a.score);
        if (top.length > 10) top.pop();
      }
    }
    return top.map((t) => t.index);
  };
  const timeAll = async (fn: (q: Float32Array) => unknown) => {
    for (const q of queryVectors.slice(0, 10)) await fn(q);
    const times: number[] = [];
    for (const q of queryVectors) {
      const t0 = performance.now();
      await fn(q);
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b);
  };
  const search = await timeAll((q) => store.memos.search("user3", q, { limit: 10 }));
  const brute = await timeAll(bruteForce);

  // Recall of the index against exact top-10 on a sample.
  let overlap = 0;
  for (const q of queryVectors.slice(0, 20)) {
    const exact = new Set(bruteForce(q).map((i) => i));
    const exactIds = new Set([...exact].map((i) => target[i]));
    const hits = await store.memos.get(
      (await store.memos.search("user3", q, { limit: 10 })).map((h) => h.id),
    );
    overlap += hits.filter((h) => [...exactIds].some((v) => v!.every((x, i) => x === h.vector[i]))).length;
  }

  console.table({
    "LanceDB search (uid prefilter + index)": {
      median: ms(quantile(search, 0.5)),
      p95: ms(quantile(search, 0.95)),
    },
    "brute force Float32Array scan of the user's vectors": {
      median: ms(quantile(brute, 0.5)),
      p95: ms(quantile(brute, 0.95)),
    },
  });
  console.log(
    `user vectors: ${target.length}; median ratio search/brute force: ${(quantile(search, 0.5) / quantile(brute, 0.5)).toFixed(2)} ` +
      `(goal <= 1 and < 20 ms); recall@10 vs exact: ${(overlap / 200).toFixed(2)}`,
  );
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}

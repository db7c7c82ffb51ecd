/**
 * Semantic search for the heaviest user of the bench corpus (22% of the memos: 22,000 of 100,000), on the
 * corpus's topic-clustered vectors (as real embeddings are) and on uniform random ones (the worst case of an
 * approximate index). Each is timed before maintenance (no index: LanceDB scans) and after it (the index),
 * alternating round after round with the raw baseline: one tight dot-product loop over the user's vectors in
 * one Float32Array. recall@10 against that exact scan is printed next to every LanceDB figure.
 * BENCH_ROWS (default 100000), BENCH_DIMS (1536), BENCH_QUERIES (100), BENCH_ROUNDS (3),
 * BENCH_VECTORS ("clustered,random").
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import type { VectorMode } from "@aimo/bench-corpus";
import { createCorpus, describeCorpus, exactTopK } from "@aimo/bench-corpus";

import type { VectorStore } from "../src";
import { openVectorStore } from "../src";

const rowsTotal = Number(process.env.BENCH_ROWS ?? 100_000);
const dims = Number(process.env.BENCH_DIMS ?? 1536);
const queryCount = Number(process.env.BENCH_QUERIES ?? 100);
const roundCount = Number(process.env.BENCH_ROUNDS ?? 3);
const modes = (process.env.BENCH_VECTORS ?? "clustered,random").split(",") as VectorMode[];
const K = 10;

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

interface Timing {
  times: number[];
  recall: number;
}

async function benchMode(mode: VectorMode, dir: string) {
  const corpus = createCorpus({ memos: rowsTotal, dims, vectors: mode });
  console.log(describeCorpus(corpus));
  const target = [...corpus.users].sort((a, b) => b.memoCount - a.memoCount)[0]!;
  const store: VectorStore = await openVectorStore({
    uri: dir,
    versionRetentionMinutes: 0,
    embeddingModel: "bench",
    embeddingDimensions: dims,
    multimodalModel: "bench-mm",
    multimodalDimensions: 4,
  });
  try {
    const matrix = new Float32Array(target.memoCount * dims);
    const targetIds: string[] = [];
    const started = performance.now();
    let batch: { id: string; uid: string; vector: Float32Array }[] = [];
    for (const memo of corpus.memos()) {
      if (memo.uid === target.uid) {
        matrix.set(memo.vector, targetIds.length * dims);
        targetIds.push(memo.id);
      }
      batch.push({ id: memo.id, uid: memo.uid, vector: memo.vector });
      if (batch.length === 5000) {
        await store.memos.add(batch);
        batch = [];
      }
    }
    if (batch.length) await store.memos.add(batch);
    console.log(
      `${mode}: loaded ${rowsTotal} x ${dims} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const queries = corpus.semanticQueries(queryCount).map((q) => q.vector);
    const exact = queries.map((q) => exactTopK(matrix, dims, q, K).map((i) => targetIds[i]!));
    const raw = async (): Promise<Timing> => {
      const times = queries.map((q) => {
        const t0 = performance.now();
        exactTopK(matrix, dims, q, K);
        return performance.now() - t0;
      });
      return { times, recall: 1 };
    };
    const lance = async (): Promise<Timing> => {
      const times: number[] = [];
      let found = 0;
      for (const [i, q] of queries.entries()) {
        const t0 = performance.now();
        const hits = await store.memos.search(target.uid, q, { limit: K });
        times.push(performance.now() - t0);
        const truth = new Set(exact[i]);
        found += hits.filter((h) => truth.has(h.id)).length;
      }
      return { times, recall: found / (queries.length * K) };
    };
    // A and B alternate, and swap places every round: this machine's speed drifts within minutes.
    const alternate = async (label: string) => {
      await lance(); // warm-up: LanceDB opens files and caches on its first queries
      const runs: { lance: Timing; raw: Timing }[] = [];
      for (let round = 0; round < roundCount; round++) {
        if (round % 2) {
          const r = await raw();
          runs.push({ raw: r, lance: await lance() });
        } else {
          const l = await lance();
          runs.push({ lance: l, raw: await raw() });
        }
      }
      const row = (timing: Timing, name: string) => {
        const sorted = [...timing.times].sort((a, b) => a - b);
        return [
          name,
          {
            median: ms(quantile(sorted, 0.5)),
            p95: ms(quantile(sorted, 0.95)),
            "recall@10": timing.recall.toFixed(3),
          },
        ] as const;
      };
      const all = (pick: (r: (typeof runs)[number]) => Timing): Timing => ({
        times: runs.flatMap((r) => pick(r).times),
        recall: runs.reduce((sum, r) => sum + pick(r).recall, 0) / runs.length,
      });
      const lanceAll = all((r) => r.lance);
      const rawAll = all((r) => r.raw);
      console.table(
        Object.fromEntries([
          ...runs.flatMap((r, round) => [
            row(r.lance, `${mode}, ${label}, round ${round + 1}: LanceDB (uid prefilter)`),
            row(r.raw, `${mode}, ${label}, round ${round + 1}: raw Float32Array scan (exact)`),
          ]),
          row(lanceAll, `${mode}, ${label}, all rounds: LanceDB`),
          row(rawAll, `${mode}, ${label}, all rounds: raw scan`),
        ]),
      );
      const median = (t: Timing) =>
        quantile(
          [...t.times].sort((a, b) => a - b),
          0.5,
        );
      return { ratio: median(lanceAll) / median(rawAll), recall: lanceAll.recall, median: median(lanceAll) };
    };

    const before = await alternate("before maintain()");
    const maintainStarted = performance.now();
    const report = await store.maintain();
    const memoReport = report.tables.find((t) => t.name === "memo_vectors")!;
    console.log(
      `${mode}: maintain() in ${((performance.now() - maintainStarted) / 1000).toFixed(1)} s (indexes: ` +
        `${memoReport.indexed.join(", ")}; fragments ${memoReport.fragmentsBefore} -> ${memoReport.fragmentsAfter})`,
    );
    const after = await alternate("after maintain()");
    return { mode, userVectors: targetIds.length, before, after };
  } finally {
    await store.close();
  }
}

const dirs: string[] = [];
try {
  const results = [];
  for (const mode of modes) {
    const dir = await mkdtemp(join(tmpdir(), "aimo-bench-vectors-"));
    dirs.push(dir);
    results.push(await benchMode(mode, dir));
  }
  for (const r of results)
    console.log(
      `${r.mode} vectors, user with ${r.userVectors}: LanceDB / raw scan median ${r.before.ratio.toFixed(2)} before maintain() ` +
        `(recall@10 ${r.before.recall.toFixed(3)}), ${r.after.ratio.toFixed(2)} after (${ms(r.after.median)}, recall@10 ${r.after.recall.toFixed(3)})`,
    );
  console.log(
    "goal: recall@10 >= 0.95 on clustered vectors at the default settings, LanceDB <= the raw scan",
  );
} finally {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

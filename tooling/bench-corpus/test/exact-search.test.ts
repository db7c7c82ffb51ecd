import { expect, it } from "vitest";

import { createCorpus, exactTopK } from "../src";

const dims = 16;

/** 300 random corpus vectors back to back, a query among them, and every row ranked by its dot product. */
function scene() {
  const memos = [...createCorpus({ memos: 300, dims, vectors: "random" }).memos()];
  const matrix = new Float32Array(memos.length * dims);
  memos.forEach((m, i) => matrix.set(m.vector, i * dims));
  const query = memos[7]!.vector;
  const dot = (v: Float32Array) => v.reduce((sum, x, i) => sum + x * query[i]!, 0);
  const ranked = memos.map((m, row) => ({ row, score: dot(m.vector) })).sort((a, b) => b.score - a.score);
  return { matrix, query, ranked };
}

it("exactTopK returns the rows of the k largest dot products, best first", () => {
  const { matrix, query, ranked } = scene();
  expect(exactTopK(matrix, dims, query, 10)).toEqual(ranked.slice(0, 10).map((r) => r.row));
  expect(exactTopK(matrix.subarray(0, 3 * dims), dims, query, 10)).toHaveLength(3);
});

it("exactTopK with a floor keeps only rows scoring at least the floor", () => {
  const { matrix, query, ranked } = scene();
  // A floor between the 4th and 5th best scores leaves exactly the top 4.
  const floor = (ranked[3]!.score + ranked[4]!.score) / 2;
  expect(exactTopK(matrix, dims, query, 10, floor)).toEqual(ranked.slice(0, 4).map((r) => r.row));
});

/**
 * Throughput of the offline local embedder (texts/s) at 1536 dimensions, next to a baseline in the same
 * process: hashing the same texts with SHA-256 (the work the embedding cache does per text anyway).
 */
import { createHash } from "node:crypto";

import { createLocalEmbedder } from "../src";

const count = Number(process.env.BENCH_TEXTS ?? 20_000);
const words = "memo note idea coffee travel reading 学习 机器 今天 周末 project meeting garden recipe".split(
  " ",
);
const texts = Array.from({ length: count }, (_, i) =>
  Array.from({ length: 40 + (i % 60) }, (_, j) => words[(i * 7 + j * 13) % words.length]).join(" "),
);
const embedder = createLocalEmbedder(1536);

const time = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

await embedder.embed(texts.slice(0, 500));
const embedSeconds = await time(() => embedder.embed(texts));
const hashSeconds = await time(() => texts.map((t) => createHash("sha256").update(t).digest("hex")));
const avgChars = texts.reduce((n, t) => n + t.length, 0) / texts.length;
console.table({
  "local embedder (1536 dims)": { "texts/s": Math.round(count / embedSeconds) },
  "sha256 of the same texts (baseline)": { "texts/s": Math.round(count / hashSeconds) },
});
console.log(
  `${count} texts of ${avgChars.toFixed(0)} characters on average; embedder/sha256 time ratio ${(embedSeconds / hashSeconds).toFixed(1)}`,
);

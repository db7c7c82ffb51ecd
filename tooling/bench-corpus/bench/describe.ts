/** Prints the description of a corpus: BENCH_MEMOS (20000), BENCH_USERS (10), BENCH_SEED (1). */
import { createCorpus, describeCorpus } from "../src";

console.log(
  describeCorpus(
    createCorpus({
      memos: Number(process.env.BENCH_MEMOS ?? 20_000),
      users: Number(process.env.BENCH_USERS ?? 10),
      seed: Number(process.env.BENCH_SEED ?? 1),
    }),
  ),
);

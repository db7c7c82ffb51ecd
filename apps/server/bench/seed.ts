/**
 * Seeds the API benchmark's corpus (see corpus.ts) and prints its accounts as JSON. A process of its own, so
 * the one that measures starts with a clean heap, as a server does: `seedInChildProcess` (corpus.ts) runs it.
 * Reads the server's environment, plus BENCH_MEMOS and BENCH_USERS.
 */
import { createCorpus } from "@aimo/bench-corpus";

import { parseServerEnv } from "../src/env";
import { seedCorpus } from "./corpus";

const accounts = await seedCorpus(
  parseServerEnv(),
  createCorpus({ memos: Number(process.env.BENCH_MEMOS), users: Number(process.env.BENCH_USERS) }),
);
process.stdout.write(JSON.stringify(accounts));

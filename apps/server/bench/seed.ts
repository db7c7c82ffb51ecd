/**
 * Seeds the API benchmark's corpus (see corpus.ts) and prints its accounts as JSON. A process of its own, so
 * the one that measures starts with a clean heap, as a server does.
 * Reads the server's environment, plus BENCH_USERS and BENCH_MEMOS_PER_USER.
 */
import { parseServerEnv } from "../src/env";
import { seedCorpus } from "./corpus";

const accounts = await seedCorpus(
  parseServerEnv(),
  Number(process.env.BENCH_USERS),
  Number(process.env.BENCH_MEMOS_PER_USER),
);
process.stdout.write(JSON.stringify(accounts));

/**
 * The semantic leg's recall@10 for one user, printed as a number: each query of the corpus's set asked of a
 * running server (semantic mode) at the default similarity floor and at 0, its top 10 against the exact scan
 * of the user's memos (raw-search.ts). Runs in a process of its own (`runBenchScript`), so that the exact
 * scan's matrix stays out of the measured server's RSS. Reads the server's environment, plus BENCH_URL,
 * BENCH_TOKEN and BENCH_UID.
 */
import { DEFAULT_MIN_SIMILARITY } from "@aimo/api";
import { KEYWORD_QUERIES } from "@aimo/bench-corpus";
import { createDb, mysqlConfigFromEnv } from "@aimo/db";

import { parseServerEnv } from "../src/env";
import { startRawSearch } from "./raw-search";

const env = parseServerEnv();
const handle = await createDb(mysqlConfigFromEnv(env));
const raw = await startRawSearch(handle.pool, process.env.BENCH_UID!, env.EMBEDDING_DIMENSIONS);
try {
  const recalls: number[] = [];
  for (const { text: query } of KEYWORD_QUERIES)
    for (const minSimilarity of [DEFAULT_MIN_SIMILARITY, 0]) {
      const exact = (await raw.exactSemantic(query, minSimilarity)).slice(0, 10);
      const input = encodeURIComponent(JSON.stringify({ json: { query, mode: "semantic", minSimilarity } }));
      const response = await fetch(`${process.env.BENCH_URL}/trpc/search.query?input=${input}`, {
        headers: { authorization: `Bearer ${process.env.BENCH_TOKEN}` },
      });
      const body = (await response.json()) as {
        result: { data: { json: { hits: { memo: { id: string } }[] } } };
      };
      const found = new Set(body.result.data.json.hits.slice(0, 10).map((hit) => hit.memo.id));
      recalls.push(exact.length ? exact.filter((id) => found.has(id)).length / exact.length : 1);
    }
  process.stdout.write(String(recalls.reduce((a, b) => a + b, 0) / recalls.length));
} finally {
  raw.close();
  await handle.close();
}

/**
 * The semantic leg's recall@10 for one user, printed as a number: each query of the corpus's set asked of a
 * running server (semantic mode) at the default similarity floor and at 0, its top 10 against the exact scan
 * of the user's memos (raw-search.ts). A process of its own, so that the exact scan's matrix stays out of the
 * measured server's RSS: `recallInChildProcess` runs it. Reads the server's environment, plus BENCH_URL,
 * BENCH_TOKEN, BENCH_UID and BENCH_DIMS.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { DEFAULT_MIN_SIMILARITY } from "@aimo/api";
import { KEYWORD_QUERIES } from "@aimo/bench-corpus";
import mysql from "mysql2/promise";

import { startRawSearch } from "./raw-search";

export async function recallInChildProcess(
  serverEnv: Record<string, string>,
  server: { url: string; token: string; uid: string; dims: number },
): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", fileURLToPath(import.meta.url)],
    {
      env: {
        ...process.env,
        MYSQL_URL: "",
        ...serverEnv,
        BENCH_URL: server.url,
        BENCH_TOKEN: server.token,
        BENCH_UID: server.uid,
        BENCH_DIMS: String(server.dims),
      },
    },
  );
  return Number(stdout);
}

async function measureRecall() {
  const env = process.env as Record<string, string>;
  const pool = mysql.createPool({
    host: env.MYSQL_HOST,
    port: Number(env.MYSQL_PORT),
    user: env.MYSQL_USER,
    password: env.MYSQL_PASSWORD,
    database: env.MYSQL_DATABASE,
  });
  const raw = await startRawSearch(pool, env.BENCH_UID!, Number(env.BENCH_DIMS));
  try {
    const recalls: number[] = [];
    for (const { text: query } of KEYWORD_QUERIES)
      for (const minSimilarity of [DEFAULT_MIN_SIMILARITY, 0]) {
        const exact = (await raw.exactSemantic(query, minSimilarity)).slice(0, 10);
        const input = encodeURIComponent(
          JSON.stringify({ json: { query, mode: "semantic", minSimilarity } }),
        );
        const response = await fetch(`${env.BENCH_URL}/trpc/search.query?input=${input}`, {
          headers: { authorization: `Bearer ${env.BENCH_TOKEN}` },
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
    await pool.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await measureRecall();

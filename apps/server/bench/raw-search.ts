/**
 * The raw search baseline: one user's search done the plainest fast way, behind node:http. Keyword: one SQL
 * query with `content LIKE` per word. Semantic: the query embedded by the server's embedder, then the user's
 * vectors (embedded once at start, back to back in one Float32Array) scanned with a tight dot product.
 * Hybrid: both, fused by reciprocal rank as the server fuses them; then one SELECT of the rows.
 * GET /search?q=...&mode=keyword|semantic|hybrid[&floor=minimum similarity of the semantic leg]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { createLocalEmbedder } from "@aimo/ai";
import { exactTopK } from "@aimo/bench-corpus";
import type { Pool, RowDataPacket } from "mysql2/promise";

const LIMIT = 20;
const RRF_K = 60;

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function startRawSearch(pool: Pool, uid: string, dims: number) {
  const embedder = createLocalEmbedder(dims);
  const [memoRows] = await pool.query<RowDataPacket[]>("SELECT id, content FROM memos WHERE uid = ?", [uid]);
  const ids = memoRows.map((r) => r.id as string);
  const matrix = new Float32Array(ids.length * dims);
  const vectors = await embedder.embed(memoRows.map((r) => r.content as string));
  vectors.forEach((v, i) => matrix.set(v, i * dims));

  // `floor`: the exact answer to a search with that minimum similarity.
  const semantic = async (query: string, floor = -Infinity) => {
    const [q] = await embedder.embed([query]);
    return exactTopK(matrix, dims, q!, LIMIT, floor).map((row) => ids[row]!);
  };
  const keyword = async (query: string) => {
    const words = query.split(/\s+/).filter(Boolean);
    const [rows] = await pool.query<RowDataPacket[]>(
      `SELECT id FROM memos WHERE uid = ? ${words.map(() => "AND content LIKE ?").join(" ")} ORDER BY created_at DESC LIMIT ?`,
      [uid, ...words.map(likePattern), LIMIT],
    );
    return rows.map((r) => r.id as string);
  };
  const search = async (query: string, mode: string, floor?: number) => {
    const legs = await Promise.all([
      mode === "keyword" ? [] : semantic(query, floor),
      mode === "semantic" ? [] : keyword(query),
    ]);
    const fused = new Map<string, number>();
    for (const leg of legs)
      leg.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    const best = [...fused].sort((a, b) => b[1] - a[1]).slice(0, LIMIT);
    if (!best.length) return [];
    const [rows] = await pool.query<RowDataPacket[]>(
      "SELECT id, content, type, created_at, updated_at FROM memos WHERE id IN (?)",
      [best.map(([id]) => id)],
    );
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    return best.map(([id, score]) => ({ ...byId.get(id), score }));
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const floor = url.searchParams.get("floor");
    search(
      url.searchParams.get("q") ?? "",
      url.searchParams.get("mode") ?? "hybrid",
      floor ? Number(floor) : undefined,
    )
      .then((hits) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(hits));
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/search`,
    exactSemantic: semantic,
    close: () => server.close(),
  };
}

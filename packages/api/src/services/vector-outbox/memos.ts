import type { Embedder } from "@aimo/ai";
import { memos } from "@aimo/db";
import { inArray } from "drizzle-orm";

import type { OutboxDeps, VectorProcessor } from "./runner";

/** What memo vector work needs; a subset of the tRPC context so the server's worker can build it too. */
export interface VectorSyncDeps extends OutboxDeps {
  embedder: Embedder;
}

/**
 * Memo jobs, all or nothing per batch: one write of keyword terms (they need no embedding, so a sick embedding
 * API leaves memos findable by keyword), one embedding batch and one vector write per kind.
 */
export const memoJobs: VectorProcessor<VectorSyncDeps> = {
  target: "memo",
  batchSize: 100,
  process: (deps, jobs, settle, signal) =>
    settle(jobs, async () => {
      const upsertIds = jobs.filter((j) => j.op === "upsert").map((j) => j.targetId);
      const rows = upsertIds.length
        ? await deps.db
            .select({ id: memos.id, uid: memos.uid, content: memos.content })
            .from(memos)
            .where(inArray(memos.id, upsertIds))
        : [];
      const present = new Set(rows.map((r) => r.id));
      // A memo deleted after its upsert was recorded must not keep a vector.
      const deleteIds = jobs
        .filter((j) => j.op === "delete" || !present.has(j.targetId))
        .map((j) => j.targetId);
      if (deleteIds.length) await deps.vectors.memoTexts.delete(deleteIds);
      if (rows.length) {
        // The terms are written while the embedding API works: a memo's write waits for the slower of the two,
        // and the terms are in even when the embedding fails (the memo is findable by keyword meanwhile).
        const embedding = deps.embedder.embed(
          rows.map((r) => r.content),
          { signal },
        );
        embedding.catch(() => undefined);
        await deps.vectors.memoTexts.upsert(rows.map((r) => ({ id: r.id, uid: r.uid, text: r.content })));
        const vectors = await embedding;
        await deps.vectors.memos.upsert(rows.map((r, i) => ({ id: r.id, uid: r.uid, vector: vectors[i]! })));
      }
      if (deleteIds.length) await deps.vectors.memos.delete(deleteIds);
    }),
};

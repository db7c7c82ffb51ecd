import { memos, vectorJobs } from "@aimo/db";
import { asc, eq, gt } from "drizzle-orm";

import { enqueueVectorWork } from "./vector-jobs";
import type { VectorSyncDeps } from "./vector-sync";
import { runDueVectorWork } from "./vector-sync";

export interface ReconcileReport {
  memos: number;
  vectors: number;
  /** Memos with no vector and no pending work. */
  missing: string[];
  /** Vectors whose memo is gone or belongs to someone else. */
  orphans: string[];
  repaired: boolean;
}

const PAGE = 5000;

/**
 * Compares MySQL memos with LanceDB memo vectors. With `repair`, missing vectors are recorded as work and
 * done now, and orphans are deleted. After a model change (vector tables moved aside) this re-embeds all.
 */
export async function reconcileVectors(
  deps: VectorSyncDeps,
  options: { repair: boolean },
): Promise<ReconcileReport> {
  const owners = new Map<string, string>();
  for (let after = ""; ;) {
    const rows = await deps.db
      .select({ id: memos.id, uid: memos.uid })
      .from(memos)
      .where(gt(memos.id, after))
      .orderBy(asc(memos.id))
      .limit(PAGE);
    for (const row of rows) owners.set(row.id, row.uid);
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  const pending = new Set(
    (
      await deps.db.select({ id: vectorJobs.targetId }).from(vectorJobs).where(eq(vectorJobs.target, "memo"))
    ).map((r) => r.id),
  );
  const indexed = new Set<string>();
  const orphans: string[] = [];
  let vectors = 0;
  for await (const batch of deps.vectors.memos.scanIds()) {
    for (const { id, uid } of batch) {
      vectors++;
      if (owners.get(id) === uid) indexed.add(id);
      else orphans.push(id);
    }
  }
  const missing = [...owners.keys()].filter((id) => !indexed.has(id) && !pending.has(id));
  if (options.repair) {
    for (let i = 0; i < missing.length; i += 500) {
      const ids = missing.slice(i, i + 500);
      await enqueueVectorWork(
        deps.db,
        ids.map((id) => ({
          uid: owners.get(id)!,
          target: "memo" as const,
          targetId: id,
          op: "upsert" as const,
        })),
      );
    }
    if (orphans.length) await deps.vectors.memos.delete(orphans);
    // Drains due work, including what was just recorded; failures are rescheduled into the future.
    let taken: number;
    do taken = await runDueVectorWork(deps, 200);
    while (taken > 0);
  }
  return { memos: owners.size, vectors, missing, orphans, repaired: options.repair };
}

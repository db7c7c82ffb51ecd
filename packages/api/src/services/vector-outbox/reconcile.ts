import { memos, vectorJobs } from "@aimo/db";
import type { KeyedTable } from "@aimo/vectors";
import { asc, eq, gt } from "drizzle-orm";

import type { VectorSyncDeps } from "./memos";
import { memoJobs } from "./memos";
import { enqueueVectorWork } from "./queue";
import { runDue } from "./runner";

export interface ReconcileReport {
  memos: number;
  vectors: number;
  /** Rows of the keyword index (memo_texts). */
  texts: number;
  /** Memos with no vector or no keyword row, and no pending work. */
  missing: string[];
  /** Vectors or keyword rows whose memo is gone or belongs to someone else. */
  orphans: string[];
  repaired: boolean;
}

const PAGE = 5000;

/** The ids a derived table holds for the right owner, its orphans, and its row count. */
async function compare(table: KeyedTable<{ id: string; uid: string }>, owners: Map<string, string>) {
  const held = new Set<string>();
  const orphans: string[] = [];
  let rows = 0;
  for await (const batch of table.scanIds()) {
    for (const { id, uid } of batch) {
      rows++;
      if (owners.get(id) === uid) held.add(id);
      else orphans.push(id);
    }
  }
  return { held, orphans, rows };
}

/**
 * Compares MySQL memos with their LanceDB rows (vectors and keyword terms). With `repair`, memos missing
 * either are recorded as work and done now, and orphans are deleted. After a model change (vector tables
 * moved aside) this re-embeds all.
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
  const vectors = await compare(deps.vectors.memos, owners);
  const texts = await compare(deps.vectors.memoTexts, owners);
  const missing = [...owners.keys()].filter(
    (id) => !(vectors.held.has(id) && texts.held.has(id)) && !pending.has(id),
  );
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
    if (vectors.orphans.length) await deps.vectors.memos.delete(vectors.orphans);
    if (texts.orphans.length) await deps.vectors.memoTexts.delete(texts.orphans);
    // Drains due work, including what was just recorded; failures are rescheduled into the future.
    let taken: number;
    do taken = await runDue(deps, memoJobs);
    while (taken > 0);
  }
  return {
    memos: owners.size,
    vectors: vectors.rows,
    texts: texts.rows,
    missing,
    orphans: [...new Set([...vectors.orphans, ...texts.orphans])],
    repaired: options.repair,
  };
}

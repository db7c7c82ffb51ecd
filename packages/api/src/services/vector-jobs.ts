import type { Executor, VectorJobOp, VectorJobTarget } from "@aimo/db";
import { createId, vectorJobs } from "@aimo/db";
import { sql } from "drizzle-orm";

export interface VectorWork {
  uid: string;
  target: VectorJobTarget;
  targetId: string;
  op: VectorJobOp;
}

/**
 * Records vector work durably, inside the caller's MySQL transaction. One row per target: the newest
 * op wins and a failed job becomes pending again, so a later edit re-arms a memo that failed to index.
 * Re-arming gives the row a new id, which is its version: a worker only removes the exact job it did.
 */
export async function enqueueVectorWork(executor: Executor, work: VectorWork[]): Promise<void> {
  if (work.length === 0) return;
  await executor
    .insert(vectorJobs)
    .values(work.map((w) => ({ id: createId("vectorJob"), ...w, status: "pending" as const })))
    .onDuplicateKeyUpdate({
      set: {
        id: sql`VALUES(${sql.raw(vectorJobs.id.name)})`,
        op: sql`VALUES(${sql.raw(vectorJobs.op.name)})`,
        status: "pending",
        attempts: 0,
        lastError: null,
        runAfter: sql`CURRENT_TIMESTAMP(3)`,
      },
    });
}

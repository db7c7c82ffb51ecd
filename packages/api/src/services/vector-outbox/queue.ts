import type { Database, Executor, VectorJob, VectorJobOp, VectorJobTarget } from "@aimo/db";
import { createId, nowPlus, vectorJobs } from "@aimo/db";
import type { SQL } from "drizzle-orm";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";

import type { IndexState } from "../../dto/memo";

/**
 * The vector outbox's table, `vector_jobs`: work recorded with a MySQL change and done later in LanceDB.
 * Every time in it is read and written on the database clock (`NOW(3)`), so servers with skewed clocks agree
 * on when a job is due.
 */

export interface VectorWork {
  uid: string;
  target: VectorJobTarget;
  targetId: string;
  op: VectorJobOp;
}

/** After this many attempts a job shows as failed; it is still retried, hourly. */
export const MAX_FAST_ATTEMPTS = 6;
const backoffMs = (attempts: number) =>
  attempts >= MAX_FAST_ATTEMPTS ? 3_600_000 : Math.min(3_600_000, 2_000 * 4 ** (attempts - 1));

/**
 * How long a claimed job is hidden from other workers. Longer than any one batch takes (embedding calls have
 * their own timeouts); if the claiming process dies, the job is due again when it runs out.
 */
const LEASE_MS = 5 * 60_000;

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

/**
 * Claims up to `limit` due jobs of a target, oldest first, by moving their `runAfter` a lease ahead in a short
 * transaction. `SKIP LOCKED` (MySQL 8, MariaDB 10.6+) passes over rows another process is claiming at the same
 * moment, and the lease keeps them out of every later claim: two workers never take the same job.
 */
export async function claimDue(
  db: Database,
  target: VectorJobTarget,
  where: SQL | undefined,
  limit: number,
): Promise<VectorJob[]> {
  return db.transaction(async (tx) => {
    const jobs = await tx
      .select()
      .from(vectorJobs)
      .where(and(eq(vectorJobs.target, target), lte(vectorJobs.runAfter, sql`NOW(3)`), where))
      .orderBy(asc(vectorJobs.runAfter))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (jobs.length)
      await tx
        .update(vectorJobs)
        .set({ runAfter: nowPlus(LEASE_MS) })
        .where(idsOf(jobs));
    return jobs;
  });
}

const idsOf = (jobs: VectorJob[]) =>
  inArray(
    vectorJobs.id,
    jobs.map((j) => j.id),
  );

/**
 * Re-arms targets whose job a newer change re-armed (new id) or already finished while this attempt ran: its
 * LanceDB write may have landed after the newer one's, so the worker writes the target again from what MySQL
 * holds now. `upsert` does that whatever it holds: each processor removes the vector of a target that is gone.
 */
async function rearmOvertaken(db: Database, jobs: VectorJob[]): Promise<void> {
  await enqueueVectorWork(
    db,
    jobs.map((j) => ({ uid: j.uid, target: j.target, targetId: j.targetId, op: "upsert" as const })),
  );
}

/**
 * Removes the jobs that were done. If some were no longer there, a newer change overtook this attempt; which
 * ones cannot be told after the delete, so all are re-armed (a rare, redundant rewrite at most).
 */
export async function completeJobs(db: Database, jobs: VectorJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const [result] = await db.delete(vectorJobs).where(idsOf(jobs));
  if (result.affectedRows < jobs.length) await rearmOvertaken(db, jobs);
}

/** Hands claimed jobs back undone (their attempt was cut short, not failed): due again at once. */
export async function releaseJobs(db: Database, jobs: VectorJob[]): Promise<void> {
  if (jobs.length)
    await db
      .update(vectorJobs)
      .set({ runAfter: sql`NOW(3)` })
      .where(idsOf(jobs));
}

/** After an attempt that was already handed back has ended: re-arms the targets a newer change overtook. */
export async function settleReleased(db: Database, jobs: VectorJob[]): Promise<void> {
  if (jobs.length === 0) return;
  const present = await db.select({ id: vectorJobs.id }).from(vectorJobs).where(idsOf(jobs));
  const ids = new Set(present.map((j) => j.id));
  const overtaken = jobs.filter((j) => !ids.has(j.id));
  if (overtaken.length) await rearmOvertaken(db, overtaken);
}

/** Counts a failed attempt and schedules the retry with backoff. */
export async function failJobs(deps: { db: Database; logger: Logger }, jobs: VectorJob[], error: unknown) {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  deps.logger.warn({ err: error, jobs: jobs.length }, "vector work failed; will retry");
  for (const job of jobs) {
    const attempts = job.attempts + 1;
    const [result] = await deps.db
      .update(vectorJobs)
      .set({
        attempts,
        lastError: reason,
        status: attempts >= MAX_FAST_ATTEMPTS ? "failed" : "pending",
        runAfter: nowPlus(backoffMs(attempts)),
      })
      .where(eq(vectorJobs.id, job.id));
    if (result.affectedRows === 0) await rearmOvertaken(deps.db, [job]);
  }
}

/** Index state of each target id (ids with no recorded work are indexed). */
export async function indexStates(
  db: Database,
  target: VectorJobTarget,
  ids: string[],
): Promise<Map<string, IndexState>> {
  const states = new Map<string, IndexState>(ids.map((id) => [id, { status: "indexed" }]));
  if (ids.length === 0) return states;
  const jobs = await db
    .select({ targetId: vectorJobs.targetId, status: vectorJobs.status, lastError: vectorJobs.lastError })
    .from(vectorJobs)
    .where(and(eq(vectorJobs.target, target), inArray(vectorJobs.targetId, ids)));
  for (const job of jobs) {
    states.set(
      job.targetId,
      job.status === "failed"
        ? { status: "failed", reason: job.lastError ?? "unknown error" }
        : { status: "pending" },
    );
  }
  return states;
}

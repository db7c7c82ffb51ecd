import type { Embedder } from "@aimo/ai";
import type { Database, VectorJob } from "@aimo/db";
import { memos, vectorJobs } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";

/** What vector sync needs; a subset of the tRPC context so the server's worker can build it too. */
export interface VectorSyncDeps {
  db: Database;
  vectors: VectorStore;
  embedder: Embedder;
  logger: Logger;
}

export type IndexState = { status: "indexed" } | { status: "pending" } | { status: "failed"; reason: string };

/** After this many attempts a job shows as failed; it is still retried, hourly. */
export const MAX_FAST_ATTEMPTS = 6;
const backoffMs = (attempts: number) =>
  attempts >= MAX_FAST_ATTEMPTS ? 3_600_000 : Math.min(3_600_000, 2_000 * 4 ** (attempts - 1));

export async function recordFailure(
  deps: Pick<VectorSyncDeps, "db" | "logger">,
  jobs: VectorJob[],
  error: unknown,
) {
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
  deps.logger.warn({ err: error, jobs: jobs.length }, "vector work failed; will retry");
  for (const job of jobs) {
    const attempts = job.attempts + 1;
    await deps.db
      .update(vectorJobs)
      .set({
        attempts,
        lastError: reason,
        status: attempts >= MAX_FAST_ATTEMPTS ? "failed" : "pending",
        runAfter: new Date(Date.now() + backoffMs(attempts)),
      })
      .where(eq(vectorJobs.id, job.id));
  }
}

/** Removes the jobs that were done, unless a newer change re-armed them meanwhile (new id). */
export async function completeJobs(deps: Pick<VectorSyncDeps, "db">, jobs: VectorJob[]) {
  if (jobs.length === 0) return;
  await deps.db.delete(vectorJobs).where(
    inArray(
      vectorJobs.id,
      jobs.map((j) => j.id),
    ),
  );
}

/**
 * Applies memo jobs: one write of keyword terms (they need no embedding, so a sick embedding API leaves memos
 * findable by keyword), one embedding batch and one vector write per kind. Never throws.
 */
export async function processMemoJobs(deps: VectorSyncDeps, jobs: VectorJob[]): Promise<void> {
  if (jobs.length === 0) return;
  try {
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
      // The terms are written while the embedding API works: a memo's write waits for the slower of the two.
      const [, vectors] = await Promise.all([
        deps.vectors.memoTexts.upsert(rows.map((r) => ({ id: r.id, uid: r.uid, text: r.content }))),
        deps.embedder.embed(rows.map((r) => r.content)),
      ]);
      await deps.vectors.memos.upsert(rows.map((r, i) => ({ id: r.id, uid: r.uid, vector: vectors[i]! })));
    }
    if (deleteIds.length) await deps.vectors.memos.delete(deleteIds);
    await completeJobs(deps, jobs);
  } catch (error) {
    await recordFailure(deps, jobs, error).catch((e: unknown) =>
      deps.logger.error({ err: e }, "could not record vector failure"),
    );
  }
}

/**
 * Applies recorded vector work for these memos now, after their MySQL transaction committed. Never throws:
 * what fails stays recorded and the background worker retries it.
 */
export async function applyMemoVectorWork(deps: VectorSyncDeps, memoIds: string[]): Promise<void> {
  if (memoIds.length === 0) return;
  try {
    const jobs = await deps.db
      .select()
      .from(vectorJobs)
      .where(and(eq(vectorJobs.target, "memo"), inArray(vectorJobs.targetId, memoIds)));
    await processMemoJobs(deps, jobs);
  } catch (error) {
    deps.logger.warn({ err: error }, "vector work deferred to the worker");
  }
}

/** One pass of the worker: due memo jobs, oldest first. Returns how many it took. */
export async function runDueVectorWork(deps: VectorSyncDeps, batchSize = 100): Promise<number> {
  const jobs = await deps.db
    .select()
    .from(vectorJobs)
    .where(and(eq(vectorJobs.target, "memo"), lte(vectorJobs.runAfter, sql`NOW(3)`)))
    .orderBy(asc(vectorJobs.runAfter))
    .limit(batchSize);
  await processMemoJobs(deps, jobs);
  return jobs.length;
}

/** Index state of each memo id (memos with no recorded work are indexed). */
export async function getMemoIndexStates(
  deps: Pick<VectorSyncDeps, "db">,
  memoIds: string[],
): Promise<Map<string, IndexState>> {
  const states = new Map<string, IndexState>(memoIds.map((id) => [id, { status: "indexed" }]));
  if (memoIds.length === 0) return states;
  const jobs = await deps.db
    .select({ targetId: vectorJobs.targetId, status: vectorJobs.status, lastError: vectorJobs.lastError })
    .from(vectorJobs)
    .where(and(eq(vectorJobs.target, "memo"), inArray(vectorJobs.targetId, memoIds)));
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

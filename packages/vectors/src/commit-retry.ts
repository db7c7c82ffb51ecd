import { setTimeout as delay } from "node:timers/promises";

/**
 * LanceDB's answers when a commit lost to another writer's (another process, or maintenance here) and the
 * operation may simply be run again on the newer version: "Retryable commit conflict for version N" (a
 * compaction preempted by a delete or update), "Commit conflict", "Incompatible transaction", "Too many
 * concurrent writers" once its own retries ran out, and a version's manifest "was not found" because another
 * process's cleanup removed the version this handle had checked out.
 */
const CONFLICT =
  /commit conflict|incompatible transaction|too many concurrent writ|\.manifest was not found/i;

/** Attempts after the first; with the backoff below, about 6 s in all before the conflict is thrown. */
export const COMMIT_RETRIES = 8;

/**
 * Runs a LanceDB write or maintenance step, running it again with jittered exponential backoff (25 ms
 * doubling up to 1 s) while it fails on a commit conflict. Every caller's step can run twice: upserts and
 * deletes by id are idempotent, appends fail before anything is committed, and maintenance starts over.
 */
export async function retryCommit<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= COMMIT_RETRIES || !CONFLICT.test(error instanceof Error ? error.message : String(error)))
        throw error;
      await delay(Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

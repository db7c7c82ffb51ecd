import type { Database } from "@aimo/db";
import { jobLeases, nowPlus } from "@aimo/db";
import { and, eq, isNull, lt, lte, or, sql } from "drizzle-orm";

/** One process's claim on one slot of a scheduled job. */
export interface JobSlot {
  job: string;
  /** ISO-8601 UTC instant of the slot's start: slots sort as they happen. */
  slot: string;
  /** Names the claiming process (host, pid and a random part), for the operator reading `job_leases`. */
  holder: string;
}

/**
 * Takes the job's lease for `slot` until `leaseMs` from now, on the database clock. It succeeds when the lease
 * is free (finished or expired) and `slot` is newer than the last one claimed, or is that slot left unfinished
 * by a holder whose lease ran out (it died). One row per job, taken by one UPDATE, so of N processes asking at
 * once one gets it, and no slot runs twice nor two slots at once.
 */
export async function claimJobSlot(db: Database, claim: JobSlot, leaseMs: number): Promise<boolean> {
  await db
    .insert(jobLeases)
    .values({ job: claim.job, slot: "", holder: "", expiresAt: sql`NOW(3)`, finishedAt: sql`NOW(3)` })
    .onDuplicateKeyUpdate({ set: { job: sql`${jobLeases.job}` } });
  const [result] = await db
    .update(jobLeases)
    .set({ slot: claim.slot, holder: claim.holder, expiresAt: nowPlus(leaseMs), finishedAt: null })
    .where(
      and(
        eq(jobLeases.job, claim.job),
        lte(jobLeases.expiresAt, sql`NOW(3)`),
        or(lt(jobLeases.slot, claim.slot), and(eq(jobLeases.slot, claim.slot), isNull(jobLeases.finishedAt))),
      ),
    );
  return result.affectedRows === 1;
}

const heldBy = (claim: JobSlot) =>
  and(
    eq(jobLeases.job, claim.job),
    eq(jobLeases.slot, claim.slot),
    eq(jobLeases.holder, claim.holder),
    isNull(jobLeases.finishedAt),
  );

/** Extends a running slot's lease; false when it was lost (it expired and another process took it over). */
export async function renewJobSlot(db: Database, claim: JobSlot, leaseMs: number): Promise<boolean> {
  const [result] = await db
    .update(jobLeases)
    .set({ expiresAt: nowPlus(leaseMs) })
    .where(heldBy(claim));
  return result.affectedRows === 1;
}

/**
 * Frees the lease. A finished slot is never run again; an unfinished one (its run failed) may be taken again
 * for the same slot, by any process, and what it already did is skipped (push deliveries are keyed by slot).
 */
export async function releaseJobSlot(db: Database, claim: JobSlot, finished: boolean): Promise<void> {
  await db
    .update(jobLeases)
    .set({ expiresAt: sql`NOW(3)`, finishedAt: finished ? sql`NOW(3)` : null })
    .where(heldBy(claim));
}

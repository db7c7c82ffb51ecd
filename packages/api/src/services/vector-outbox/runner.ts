import type { Database, VectorJob, VectorJobTarget } from "@aimo/db";
import { vectorJobs } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import type { SQL } from "drizzle-orm";
import { and, inArray } from "drizzle-orm";
import type { Logger } from "pino";

import { claimDue, completeJobs, failJobs, releaseJobs, settleReleased } from "./queue";

export interface OutboxDeps {
  db: Database;
  vectors: VectorStore;
  logger: Logger;
}

/** Runs one unit of work for these jobs: retires them when it resolves, records the failure when it throws. */
export type Settle = (jobs: VectorJob[], work: () => Promise<void>) => Promise<void>;

/** What the outbox does for one target (memos, attachments); the queue around it is the same for all. */
export interface VectorProcessor<D extends OutboxDeps> {
  target: VectorJobTarget;
  /** Jobs one worker pass claims. */
  batchSize: number;
  /** Narrows the jobs this process can do (an embedding needs a configured provider). */
  doable?: (deps: D) => SQL | undefined;
  /**
   * Applies the jobs, settling each through `settle`; throwing before settling fails them all. `signal`
   * aborts at the in-request deadline: pass it to the embedder.
   */
  process(deps: D, jobs: VectorJob[], settle: Settle, signal?: AbortSignal): Promise<void>;
}

/**
 * Processes claimed jobs. Never throws. After `signal` aborted the jobs were released: failures are not counted,
 * but whatever ends the attempt, the targets a newer change overtook meanwhile are re-armed.
 */
async function run<D extends OutboxDeps>(
  deps: D,
  processor: VectorProcessor<D>,
  jobs: VectorJob[],
  signal?: AbortSignal,
): Promise<void> {
  const failed = async (some: VectorJob[], error: unknown) => {
    await (signal?.aborted ? settleReleased(deps.db, some) : failJobs(deps, some, error)).catch(
      (e: unknown) => deps.logger.error({ err: e }, "could not record vector failure"),
    );
  };
  const settle: Settle = async (some, work) => {
    if (some.length === 0) return;
    try {
      await work();
      await completeJobs(deps.db, some);
    } catch (error) {
      await failed(some, error);
    }
  };
  try {
    await processor.process(deps, jobs, settle, signal);
  } catch (error) {
    await failed(jobs, error);
  }
}

const claim = <D extends OutboxDeps>(
  deps: D,
  processor: VectorProcessor<D>,
  where: SQL | undefined,
  limit: number,
) => claimDue(deps.db, processor.target, and(processor.doable?.(deps), where), limit);

/**
 * Applies the recorded work for these targets now, after their MySQL transaction committed, waiting at most
 * `deadlineMs`: past it the embedding call is aborted, the jobs are handed back and the worker finishes them
 * (the target shows `pending`). Never throws: what fails stays recorded for the worker.
 */
export async function applyNow<D extends OutboxDeps>(
  deps: D,
  processor: VectorProcessor<D>,
  ids: string[],
  deadlineMs: number,
): Promise<void> {
  // LanceDB failed moments ago: the write answers now, its work stays due for the worker.
  if (ids.length === 0 || deps.vectors.circuit.open) return;
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    const jobs = await claim(deps, processor, inArray(vectorJobs.targetId, ids), ids.length);
    const timedOut = new Promise<false>((resolve) => {
      if (signal.aborted) resolve(false);
      else signal.addEventListener("abort", () => resolve(false), { once: true });
    });
    const finished = await Promise.race([run(deps, processor, jobs, signal).then(() => true), timedOut]);
    // What is still running (a LanceDB write cannot be aborted) ends on its own; the worker may redo it.
    if (!finished) await releaseJobs(deps.db, jobs);
  } catch (error) {
    deps.logger.warn({ err: error, target: processor.target }, "vector work deferred to the worker");
  }
}

/** One pass of the worker over a target's due jobs, oldest first. Returns how many it claimed. */
export async function runDue<D extends OutboxDeps>(deps: D, processor: VectorProcessor<D>): Promise<number> {
  // While LanceDB's circuit is open nothing is claimed, so an outage uses up no attempts.
  if (deps.vectors.circuit.open) return 0;
  const jobs = await claim(deps, processor, undefined, processor.batchSize);
  await run(deps, processor, jobs);
  return jobs.length;
}

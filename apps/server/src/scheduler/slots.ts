import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

import type { ApiDeps } from "@aimo/api/server";
import { claimJobSlot, releaseJobSlot, renewJobSlot } from "@aimo/api/server";
import type { Cron } from "croner";

/**
 * How long a claimed slot stays leased without renewal; the holder renews it every third of that. A process
 * that dies holding a slot blocks its job for at most this long.
 */
const LEASE_MS = 60_000;

/** The start of `at`'s hour in `timezone`, as an ISO-8601 UTC instant: the slot of the hourly push rules. */
export function hourSlot(timezone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, minute: "2-digit", second: "2-digit" })
    .formatToParts(at)
    .reduce<Record<string, number>>((all, part) => ({ ...all, [part.type]: Number(part.value) }), {});
  return new Date(
    at.getTime() - (parts.minute ?? 0) * 60_000 - (parts.second ?? 0) * 1000 - at.getUTCMilliseconds(),
  ).toISOString();
}

/**
 * The occurrence of a cron job that is firing now: its scheduled instant, not the moment the timer woke, so
 * every process names the same slot.
 */
export const cronSlot = (cron: Cron): string =>
  (cron.previousRuns(1, new Date(Date.now() + 1))[0] ?? new Date()).toISOString();

/**
 * Runs each (job, slot) in one process of all that share the database: the one that takes the slot's lease
 * (`job_leases`) runs it and renews the lease while it runs; the others skip it. A run that throws frees the
 * slot unfinished, so a later attempt at the same slot may run it again.
 */
export function createSlotRunner(deps: Pick<ApiDeps, "db" | "logger">) {
  const holder = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  /** The work's result when this process ran the slot; undefined when another process has or had it. */
  return async function runSlot<T>(
    job: string,
    slot: string,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    const claim = { job, slot, holder };
    if (!(await claimJobSlot(deps.db, claim, LEASE_MS))) {
      deps.logger.debug({ job, slot }, "scheduled slot skipped");
      return undefined;
    }
    const renewal = setInterval(() => {
      renewJobSlot(deps.db, claim, LEASE_MS).then(
        (held) => held || deps.logger.warn({ job, slot }, "scheduled slot lease lost"),
        (error: unknown) => deps.logger.warn({ err: error, job, slot }, "scheduled slot lease not renewed"),
      );
    }, LEASE_MS / 3);
    renewal.unref();
    const started = performance.now();
    const release = async (finished: boolean) => {
      clearInterval(renewal);
      await releaseJobSlot(deps.db, claim, finished);
    };
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await release(false);
      throw error;
    }
    await release(true);
    deps.logger.info({ job, slot, ms: Math.round(performance.now() - started) }, "scheduled slot ran");
    return result;
  };
}

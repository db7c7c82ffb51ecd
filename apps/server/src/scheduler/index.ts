import type { ApiDeps } from "@aimo/api/server";
import { pushRuleService } from "@aimo/api/server";
import type { ObjectStorage } from "@aimo/storage";
import type { MaintainOptions } from "@aimo/vectors";
import { backUpAllUsers } from "@aimo/transfer";
import { Cron } from "croner";

import { createSlotRunner, cronSlot, hourSlot } from "./slots";

export interface SchedulerOptions {
  timezone: string;
  /** When LanceDB maintenance runs (cron, in `timezone`). */
  maintenanceCron: string;
  /** When due push rules are looked for (cron, in `timezone`); each rule is sent once per hour slot. */
  pushRulesCron: string;
  /** Every user's export written to `target` on `cron` (in `timezone`), the newest `keep` kept; absent = off. */
  backups?: { cron: string; target: ObjectStorage; keep: number };
  /** The server's dependencies; jobs act on behalf of every user, so no request is involved. */
  deps: ApiDeps;
  /** Background work that has its own loop (the vector worker); stopped with the scheduler. */
  workers?: { stop(): Promise<void> }[];
  /** The clock; tests pass a fixed one. */
  now?: () => Date;
  /** Off: jobs run only when called (SCHEDULER_ENABLED=false, e.g. a second server). */
  enabled?: boolean;
}

/** How often the server checks whether LanceDB needs maintenance before its nightly hour (every 30 s). */
const MAINTENANCE_CHECK_CRON = "*/30 * * * * *";

/**
 * No commit in this process for this long is a pause in its writes: maintenance then runs at once if its writes
 * since the last one call for it at a pause (MAINTAIN_AT_PAUSE_AFTER_WRITES) or it is due anyway, so the searches
 * that follow a burst of writes do not scan its last fragments until the next 30 s check.
 */
const WRITES_PAUSE_MS = 2_000;
/**
 * No commit in this process for this long: the 30 s check then also consolidates (folds the recent tiers of the memo
 * vectors and the keyword index, rebuilds a vector index of several parts), work that pays off for the reads of a quiet time but that at a
 * short pause would compete with the searches that tend to follow a burst of writes (a rebuild at 20,000 memos
 * took 1-1.3 s of both cores).
 */
const CONSOLIDATE_AFTER_IDLE_MS = 60_000;
/** How often this process looks at its own writes: for maintenance they call for, or a pause after them. */
const WRITES_CHECK_CRON = "* * * * * *";

/**
 * Push rules at their hour, LanceDB maintenance on its cron and whenever writes call for it, backups on theirs,
 * and the vector worker. Each push, maintenance and backup slot runs in one server process of all that share the
 * database (see slots.ts); croner's `protect` keeps a job from overlapping itself in this one; `stop()` waits for
 * running jobs (a backup run is cut short first).
 */
export function startScheduler(options: SchedulerOptions) {
  const now = options.now ?? (() => new Date());
  const runSlot = createSlotRunner(options.deps);
  /** Aborted by `stop()`: a backup run, which may take long, ends then instead of holding the shutdown. */
  const stopping = new AbortController();
  const running = new Set<Promise<unknown>>();
  const track =
    <A extends unknown[], T>(name: string, job: (...args: A) => Promise<T>) =>
    async (...args: A) => {
      const run = job(...args).catch((error: unknown) =>
        options.deps.logger.error({ err: error, job: name }, "scheduled job failed"),
      );
      running.add(run);
      try {
        return await run;
      } finally {
        running.delete(run);
      }
    };

  /**
   * Sends the rules due at `at` (the clock's now by default) for the slot of its hour. Answers how many were due,
   * or undefined when another process has or had the slot.
   */
  const runPushRules = track("push rules", (at: Date = now()) => {
    const slot = hourSlot(options.timezone, at);
    return runSlot("push-rules", slot, async () => {
      const due = await pushRuleService.dueRules(options.deps, at);
      const failed: unknown[] = [];
      for (const rule of due) {
        try {
          const deliveries = await pushRuleService.sendForSlot(options.deps, rule.uid, rule.id, slot, at);
          options.deps.logger.info(
            { rule: rule.id, slot, deliveries: deliveries.map((d) => d.status) },
            "push rule sent",
          );
        } catch (error) {
          failed.push(error);
        }
      }
      // The slot stays unfinished: a later check within the hour sends what is missing, and only that.
      if (failed.length)
        throw new AggregateError(failed, `${failed.length} of ${due.length} push rules failed`);
      return due.length;
    });
  });
  /**
   * Writes every user's backup for the slot `at` (the clock's now by default; the cron passes its occurrence).
   * Answers how many were written and failed, or undefined when backups are off or another process has or had
   * the slot. A user whose backup fails is logged; the others are written and the slot is done. `stop()` cuts a
   * run short, leaving its slot unfinished.
   */
  const runBackups = track("backups", async (at: Date = now()) => {
    const backups = options.backups;
    if (!backups) return undefined;
    return runSlot("backups", at.toISOString(), async () => {
      const report = await backUpAllUsers(
        { db: options.deps.db, storage: options.deps.attachments.storage },
        { target: backups.target, keep: backups.keep, slot: at, signal: stopping.signal },
      );
      for (const { uid, error } of report.failed)
        options.deps.logger.error({ err: error, uid }, "backup failed");
      options.deps.logger.info({ written: report.written, failed: report.failed.length }, "backups written");
      return { written: report.written, failed: report.failed.map((failure) => failure.uid) };
    });
  });
  let maintaining: Promise<boolean | void> | undefined;
  /** When the last maintenance in this process ended (`Date.now()`, as `lastWriteAt`), 0 before any. */
  let maintainedAt = 0;
  /**
   * One maintenance at a time, whoever asks (its cron, the check after writes, an operator) and in whichever
   * process: `slot` names the occurrence (now by default). True when it ran here.
   */
  const runMaintenance = (slot = now().toISOString(), how: MaintainOptions = {}) =>
    (maintaining ??= track("lancedb maintenance", async () => {
      const report = await runSlot("lancedb-maintenance", slot, () => options.deps.vectors.maintain(how));
      if (report) options.deps.logger.info({ tables: report.tables }, "lancedb maintained");
      return report !== undefined;
    })().finally(() => {
      maintaining = undefined;
      maintainedAt = Date.now();
    }));
  /** Maintenance now when writes or growth call for it (see `maintenanceDue`); true when it ran here. */
  const runMaintenanceIfDue = track(
    "lancedb maintenance check",
    async (slot?: string, how: MaintainOptions = {}) => {
      if (!(await options.deps.vectors.maintenanceDue(how))) return false;
      return (await runMaintenance(slot, how)) === true;
    },
  );

  /**
   * Maintenance at once when this process's own writes call for it, rather than at the next 30 s check: each
   * write is a fragment every merge then scans, and at ~15 creates a second 400 piled up by the check (creates
   * on a 20k-memo store took 35-85 ms, median per 250, against 28-30 with this).
   */
  const runMaintenanceIfWritten = async () => {
    if (maintaining || !options.deps.vectors.writesCallForMaintenance()) return false;
    return (await runMaintenance()) === true;
  };

  let pauseChecked = 0;
  /** The check at a pause in this process's writes (`at`: the clock's now by default), once per pause. */
  const runMaintenanceIfPaused = async (at: Date = now()) => {
    const lastWrite = options.deps.vectors.lastWriteAt();
    if (lastWrite === pauseChecked || maintaining) return false;
    // Writes wait in their queue while a maintenance compacts: no commit during one is not a pause.
    if (at.getTime() - Math.max(lastWrite, maintainedAt) < WRITES_PAUSE_MS) return false;
    pauseChecked = lastWrite;
    // The burst's last fragments, however few short of the threshold the last maintenance left them.
    if (options.deps.vectors.writesCallForMaintenance(true))
      return (await runMaintenance(at.toISOString())) === true;
    return (await runMaintenanceIfDue(at.toISOString())) === true;
  };

  /** The 30 s check (`at`: the clock's now by default): consolidating once this process has written nothing for a while. */
  const runMaintenanceCheck = (slot: string, at: Date = now()) =>
    runMaintenanceIfDue(slot, {
      consolidate: at.getTime() - options.deps.vectors.lastWriteAt() >= CONSOLIDATE_AFTER_IDLE_MS,
    });

  const jobs =
    options.enabled === false
      ? []
      : [
          new Cron(
            options.pushRulesCron,
            { timezone: options.timezone, protect: true, name: "push-rules" },
            async () => {
              await runPushRules(now());
            },
          ),
          new Cron(
            options.maintenanceCron,
            { timezone: options.timezone, protect: true, name: "lancedb-maintenance" },
            async (cron: Cron) => {
              await runMaintenance(cronSlot(cron));
            },
          ),
          new Cron(
            MAINTENANCE_CHECK_CRON,
            { protect: true, name: "lancedb-maintenance-check" },
            async (cron: Cron) => {
              await runMaintenanceCheck(cronSlot(cron));
            },
          ),
          new Cron(
            WRITES_CHECK_CRON,
            { protect: true, name: "lancedb-maintenance-write-check" },
            async () => {
              if (!(await runMaintenanceIfWritten())) await runMaintenanceIfPaused();
            },
          ),
          ...(options.backups
            ? [
                new Cron(
                  options.backups.cron,
                  { timezone: options.timezone, protect: true, name: "backups" },
                  async (cron: Cron) => {
                    await runBackups(new Date(cronSlot(cron)));
                  },
                ),
              ]
            : []),
        ];

  return {
    runPushRules,
    runBackups,
    runMaintenance,
    runMaintenanceIfDue,
    runMaintenanceCheck,
    runMaintenanceIfPaused,
    runMaintenanceIfWritten,
    async stop() {
      for (const job of jobs) job.stop();
      stopping.abort(new Error("backups stopped: the scheduler is stopping"));
      await Promise.all([...running, ...(options.workers ?? []).map((w) => w.stop())]);
    },
  };
}

export type Scheduler = ReturnType<typeof startScheduler>;

import type { ApiDeps } from "@aimo/api/server";
import { pushRuleService } from "@aimo/api/server";
import { Cron } from "croner";

export interface SchedulerOptions {
  timezone: string;
  /** When LanceDB maintenance runs (cron, in `timezone`). */
  maintenanceCron: string;
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
 * Push rules at their hour, LanceDB maintenance on its cron and whenever writes call for it, and the vector
 * worker. croner's `protect`
 * keeps a job from overlapping itself; `stop()` waits for running jobs.
 */
export function startScheduler(options: SchedulerOptions) {
  const now = options.now ?? (() => new Date());
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

  /** Sends the rules due at `at` (the clock's now by default). */
  const runPushRules = track("push rules", async (at: Date = now()) => {
    const due = await pushRuleService.dueRules(options.deps, at);
    for (const rule of due) {
      const deliveries = await pushRuleService.send(options.deps, rule.uid, rule.id, at);
      options.deps.logger.info(
        { rule: rule.id, deliveries: deliveries.map((d) => d.status) },
        "push rule sent",
      );
    }
    return due.length;
  });
  let maintaining: Promise<void> | undefined;
  /** One maintenance at a time, whoever asks: its nightly hour, the check after writes, an operator. */
  const runMaintenance = () =>
    (maintaining ??= track("lancedb maintenance", async () => {
      const report = await options.deps.vectors.maintain();
      options.deps.logger.info({ tables: report.tables }, "lancedb maintained");
    })().finally(() => (maintaining = undefined)));
  /** Maintenance now when writes or growth call for it (see `maintenanceDue`); true when it ran. */
  const runMaintenanceIfDue = track("lancedb maintenance check", async () => {
    if (!(await options.deps.vectors.maintenanceDue())) return false;
    await runMaintenance();
    return true;
  });

  const jobs =
    options.enabled === false
      ? []
      : [
          new Cron(
            "0 * * * *",
            { timezone: options.timezone, protect: true, name: "push-rules" },
            async () => {
              await runPushRules(now());
            },
          ),
          new Cron(
            options.maintenanceCron,
            { timezone: options.timezone, protect: true, name: "lancedb-maintenance" },
            () => runMaintenance(),
          ),
          new Cron(MAINTENANCE_CHECK_CRON, { protect: true, name: "lancedb-maintenance-check" }, async () => {
            await runMaintenanceIfDue();
          }),
        ];

  return {
    runPushRules,
    runMaintenance,
    runMaintenanceIfDue,
    async stop() {
      for (const job of jobs) job.stop();
      await Promise.all([...running, ...(options.workers ?? []).map((w) => w.stop())]);
    },
  };
}

export type Scheduler = ReturnType<typeof startScheduler>;

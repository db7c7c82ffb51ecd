import type { AttachmentVectorDeps, VectorSyncDeps } from "@aimo/api/server";
import { attachmentJobs, memoJobs, runDue } from "@aimo/api/server";

/**
 * Finishes recorded vector work, memos' and attachments', in the background (what failed or was cut off
 * between MySQL and LanceDB).
 * One pass at a time; `stop()` waits for the running pass.
 */
export function startVectorWorker(deps: VectorSyncDeps & AttachmentVectorDeps, intervalMs: number) {
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = async () => {
    try {
      while (!stopped && (await runDue(deps, memoJobs)) + (await runDue(deps, attachmentJobs)) > 0) {
        deps.logger.debug("vector work pass");
      }
    } catch (error) {
      deps.logger.warn({ err: error }, "vector worker pass failed");
    }
  };
  const timer = setInterval(() => {
    running ??= pass().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

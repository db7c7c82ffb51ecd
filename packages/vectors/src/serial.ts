import { retryCommit } from "./commit-retry";

/**
 * Runs writes to one LanceDB table one after another. Each write is a new table version; concurrent
 * commits in one process only fight over the manifest and retry, so queueing them is both faster and safer.
 * A write that loses a commit race to another process is run again (retryCommit).
 * `onSettled` counts the writes, so maintenance can follow them.
 */
export function createSerialQueue(onSettled: () => void = () => undefined) {
  let tail: Promise<unknown> = Promise.resolve();
  return function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const attempt = () => retryCommit(task);
    const run = tail.then(attempt, attempt).finally(onSettled);
    tail = run.catch(() => undefined);
    return run;
  };
}

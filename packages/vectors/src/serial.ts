/**
 * Runs writes to one LanceDB table one after another. Each write is a new table version; concurrent
 * commits in one process only fight over the manifest and retry, so queueing them is both faster and safer.
 */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** How long each dependency has to answer, so `/readyz` answers within 2 s whatever they do. */
const CHECK_BUDGET_MS = 1_500;

export type DependencyState = { state: "ok" } | { state: "unavailable"; reason: string };

export interface Readiness {
  /**
   * `not ready` (503) without MySQL, which every request needs. Without LanceDB the server is `degraded` but
   * ready (200): writes commit in MySQL and leave their vectors to the worker, search answers from MySQL, and
   * since every process shares one LanceDB location, taking them all out of a balancer would turn a partial
   * outage into a full one. Without attachment storage it is `degraded` too: only file uploads and downloads
   * fail.
   */
  status: "ready" | "degraded" | "not ready";
  dependencies: { mysql: DependencyState; lancedb: DependencyState; storage: DependencyState };
}

/**
 * A check that resolves when its dependency answered; what it throws (or its silence) is the reason. `signal`
 * aborts when the budget is spent, for a check that can stop its request then.
 */
export type Check = (signal: AbortSignal) => Promise<unknown>;

async function stateOf(check: Check): Promise<DependencyState> {
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new Error(`no answer within ${CHECK_BUDGET_MS} ms`)),
    CHECK_BUDGET_MS,
  );
  const silence = new Promise<never>((_, reject) =>
    budget.signal.addEventListener("abort", () => reject(budget.signal.reason as Error)),
  );
  try {
    await Promise.race([check(budget.signal), silence]);
    return { state: "ok" };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { state: "unavailable", reason: reason.split("\n")[0]!.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(checks: {
  mysql: Check;
  lancedb: Check;
  storage: Check;
}): Promise<Readiness> {
  const [mysql, lancedb, storage] = await Promise.all([
    stateOf(checks.mysql),
    stateOf(checks.lancedb),
    stateOf(checks.storage),
  ]);
  const status =
    mysql.state !== "ok"
      ? "not ready"
      : lancedb.state !== "ok" || storage.state !== "ok"
        ? "degraded"
        : "ready";
  return { status, dependencies: { mysql, lancedb, storage } };
}

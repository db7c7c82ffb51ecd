/** What a LanceDB call throws while the circuit is open: nothing was tried. */
export class VectorStoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`LanceDB is unavailable (${reason}); retrying after a pause`);
    this.name = "VectorStoreUnavailableError";
  }
}

/**
 * A circuit breaker for LanceDB. An unusable location fails each call only after seconds of I/O retries, so
 * after a failure every call is refused at once for `cooldownMs`; the first call after that tries again
 * and closes the circuit if it succeeds. Requests then skip LanceDB (writes leave their vectors to the
 * worker, search degrades) instead of each waiting for the failure.
 */
export interface Circuit {
  /** Whether LanceDB failed within the cooldown: calls are refused and in-request vector work is skipped. */
  readonly open: boolean;
  /** The last failure's message, while open. */
  readonly reason: string | undefined;
  run<T>(work: () => Promise<T>): Promise<T>;
}

export const DEFAULT_CIRCUIT_COOLDOWN_MS = 30_000;

export function createCircuit(cooldownMs = DEFAULT_CIRCUIT_COOLDOWN_MS): Circuit {
  let openUntil = 0;
  let reason: string | undefined;
  const isOpen = () => performance.now() < openUntil;
  return {
    get open() {
      return isOpen();
    },
    get reason() {
      return isOpen() ? reason : undefined;
    },
    async run(work) {
      if (isOpen()) throw new VectorStoreUnavailableError(reason ?? "failed");
      try {
        const result = await work();
        openUntil = 0;
        return result;
      } catch (error) {
        reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 300);
        openUntil = performance.now() + cooldownMs;
        throw error;
      }
    },
  };
}

type AsyncMethodKeys<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never;
}[keyof T];

/** `target` with the named async methods called through the circuit. */
export function guarded<T extends object>(circuit: Circuit, target: T, methods: AsyncMethodKeys<T>[]): T {
  const wrapped = Object.fromEntries(
    methods.map((name) => {
      const method = target[name] as (...args: unknown[]) => Promise<unknown>;
      return [name, (...args: unknown[]) => circuit.run(() => method.apply(target, args))];
    }),
  );
  return Object.assign(Object.create(target) as T, wrapped);
}

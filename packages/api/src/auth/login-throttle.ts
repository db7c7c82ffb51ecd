/**
 * Slows down password guessing: after a few failures for one email or one address, further attempts are
 * refused for a window that doubles with each failure (capped). In memory: a restart forgets, which is fine.
 */
export interface LoginThrottle {
  /** Milliseconds the caller must wait before trying again; 0 when allowed. */
  retryAfter(keys: string[], now?: number): number;
  fail(keys: string[], now?: number): void;
  succeed(keys: string[]): void;
}

const FREE_ATTEMPTS = 5;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60_000;
const MAX_ENTRIES = 100_000;

export function createLoginThrottle(): LoginThrottle {
  const failures = new Map<string, { count: number; blockedUntil: number }>();
  return {
    retryAfter(keys, now = Date.now()) {
      return Math.max(0, ...keys.map((key) => (failures.get(key)?.blockedUntil ?? 0) - now));
    },
    fail(keys, now = Date.now()) {
      if (failures.size > MAX_ENTRIES) failures.clear();
      for (const key of keys) {
        const count = (failures.get(key)?.count ?? 0) + 1;
        const delay =
          count <= FREE_ATTEMPTS
            ? 0
            : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (count - FREE_ATTEMPTS - 1));
        failures.set(key, { count, blockedUntil: now + delay });
      }
    },
    succeed(keys) {
      for (const key of keys) failures.delete(key);
    },
  };
}

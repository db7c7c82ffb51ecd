import { setTimeout as sleep } from "node:timers/promises";

import pRetry, { AbortError } from "p-retry";

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export interface PostJsonOptions {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  retries: number;
  /** Names the provider in error messages. */
  provider: string;
  /** Aborts the attempt in flight and stops retrying. */
  signal?: AbortSignal;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export interface PostWithRetryOptions extends Omit<PostJsonOptions, "timeoutMs"> {
  /** The abort signal of each attempt. */
  attemptSignal: () => AbortSignal;
}

/**
 * POST JSON, retrying 429, 5xx and network errors with exponential backoff (Retry-After honoured); resolves
 * with what `read` makes of the first OK response (a failed read is retried too).
 */
export async function postWithRetry<T>(
  options: PostWithRetryOptions,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  return pRetry(
    async () => {
      let response: Response;
      try {
        response = await fetch(options.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...options.headers },
          body: JSON.stringify(options.body),
          signal: options.attemptSignal(),
        });
      } catch (error) {
        throw new ProviderError(`${options.provider}: request failed: ${(error as Error).message}`);
      }
      if (response.ok) return read(response);
      const text = (await response.text()).slice(0, 500);
      const error = new ProviderError(
        `${options.provider}: HTTP ${response.status}: ${text}`,
        response.status,
      );
      if (!RETRYABLE(response.status)) throw new AbortError(error);
      const retryAfter = Number(response.headers.get("retry-after"));
      if (retryAfter > 0) await sleep(Math.min(retryAfter, 30) * 1000, undefined, { signal: options.signal });
      throw error;
    },
    { retries: options.retries, minTimeout: 200, maxTimeout: 5000, factor: 2, signal: options.signal },
  );
}

/** POST with a timeout per attempt, retried as `postWithRetry` does; resolves with the parsed JSON answer. */
export async function postJson(options: PostJsonOptions): Promise<unknown> {
  return postWithRetry(
    {
      ...options,
      attemptSignal: () =>
        options.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
          : AbortSignal.timeout(options.timeoutMs),
    },
    (response): Promise<unknown> => response.json(),
  );
}

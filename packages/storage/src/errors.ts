import type { ObjectStorage } from "./types";

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`stored object not found: ${key}`);
    this.name = "ObjectNotFoundError";
  }
}

class UnsafeKeyError extends Error {}

/** Keys are relative paths of plain segments: nothing may climb out of the storage root. */
export function assertSafeKey(key: string): void {
  const segments = key.split("/");
  if (
    !key ||
    key.startsWith("/") ||
    segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\") || s.includes("\0"))
  ) {
    throw new UnsafeKeyError(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}

/** The storage could not be reached or used (a full disk, a missing mount, a bucket that does not answer). */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`attachment storage failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "StorageUnavailableError";
  }
}

/**
 * Every operation's own failures (not a missing object or an unsafe key, which are the caller's) as a
 * StorageUnavailableError, so the API answers "unavailable, try later" rather than an internal error.
 */
export function failingAsUnavailable(storage: ObjectStorage): ObjectStorage {
  const guard =
    <A extends unknown[], T>(operation: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        return await operation(...args);
      } catch (error) {
        if (error instanceof ObjectNotFoundError || error instanceof UnsafeKeyError) throw error;
        throw new StorageUnavailableError(error);
      }
    };
  return {
    location: storage.location,
    putFile: guard((key, filePath, meta) => storage.putFile(key, filePath, meta)),
    putStream: guard((key, body, meta) => storage.putStream(key, body, meta)),
    list: guard((folder) => storage.list(folder)),
    read: guard((key, range) => storage.read(key, range)),
    exists: guard((key) => storage.exists(key)),
    check: guard((signal) => storage.check(signal)),
    delete: guard((key) => storage.delete(key)),
    directUrl: guard((key, options) => storage.directUrl(key, options)),
    close: () => storage.close(),
  };
}

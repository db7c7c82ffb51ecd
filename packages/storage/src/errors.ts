export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`stored object not found: ${key}`);
    this.name = "ObjectNotFoundError";
  }
}

/** Keys are relative paths of plain segments: nothing may climb out of the storage root. */
export function assertSafeKey(key: string): void {
  const segments = key.split("/");
  if (
    !key ||
    key.startsWith("/") ||
    segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\") || s.includes("\0"))
  ) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key)}`);
  }
}

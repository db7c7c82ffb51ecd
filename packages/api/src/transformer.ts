/**
 * A bypass of superjson 2.2.6's `serialize` (src/index.ts), for answers only: the client still decodes with
 * superjson. The one difference on the wire: an object found twice in a plain-JSON answer is sent twice, without
 * superjson's `referentialEqualities`, so the client gets two equal copies (no DTO shares objects). Upgrading
 * superjson: re-read `serialize` and run test/transformer.test.ts. The tRPC transport's bypasses are in
 * apps/server/src/trpc/.
 */
import superjson from "superjson";

/** Whether superjson would send a value as it is: JSON values only, with no `undefined`, -0, NaN or Infinity. */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/**
 * superjson on the wire, with one shortcut: an answer made only of JSON values (every DTO is: times are epoch
 * milliseconds) is sent as superjson would send it, `{ json }`, without superjson's walk, which costs more
 * than the rest of a memo page.
 */
export const transformer = {
  input: superjson,
  output: {
    serialize: (value: unknown) => (isPlainJson(value) ? { json: value } : superjson.serialize(value)),
    deserialize: (payload: Parameters<typeof superjson.deserialize>[0]) => superjson.deserialize(payload),
  },
};

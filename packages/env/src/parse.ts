import { z } from "zod";

/**
 * Parses an environment against a schema. `NAME=` (as .env.example has for unset options) means unset, so
 * empty values are dropped before parsing and defaults apply. Every bad variable is named in one error.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
): z.output<T> {
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "")),
  );
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid environment:\n${lines.join("\n")}`);
}

/** A boolean variable: true/false, 1/0, yes/no, on/off, y/n, enabled/disabled (any case); anything else is an error. */
export const flag = () => z.stringbool();

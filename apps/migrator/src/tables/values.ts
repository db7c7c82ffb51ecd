import { TIMESTAMP_MS } from "@aimo/db";

/** A record that cannot be migrated; its reason goes into the report. */
export class RecordError extends Error {}

export function timestamp(value: unknown, column: string): Date {
  const ms = typeof value === "number" ? value : value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RecordError(`${column} is missing or not a time`);
  if (ms < TIMESTAMP_MS.min || ms > TIMESTAMP_MS.max) {
    throw new RecordError(
      `${column} ${new Date(ms).toISOString()} is outside what MySQL TIMESTAMP holds (1970-2038)`,
    );
  }
  return new Date(ms);
}

/** Whether a legacy value is a word of one of the schema's vocabularies (MEMO_TYPES, STORAGE_TYPES, …). */
export const isOneOf = <T extends string>(vocabulary: readonly T[], value: string): value is T =>
  (vocabulary as readonly string[]).includes(value);

/** Legacy text columns hold strings (numbers at worst); anything else is not a text value. */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new RecordError("a text column holds a structured value");
}

export function requiredText(value: unknown, column: string, maxLength?: number): string {
  const result = text(value);
  if (result === null) throw new RecordError(`${column} is missing`);
  if (maxLength !== undefined && [...result].length > maxLength)
    throw new RecordError(`${column} is longer than ${maxLength} characters`);
  return result;
}

/** A login identifier (phone): surrounding spaces dropped, empty means none. */
export function identifier(value: unknown): string | null {
  const trimmed = text(value)?.trim();
  return trimmed ? trimmed : null;
}

/** Emails compare as the app compares them: trimmed and lower-cased. */
export const email = (value: unknown) => identifier(value)?.toLowerCase() ?? null;

export function jsonText<T>(value: unknown, column: string, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  try {
    return JSON.parse(text(value) ?? "") as T;
  } catch {
    throw new RecordError(`${column} is not valid JSON`);
  }
}

export const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** Non-ASCII names stored as UTF-8 bytes read as Latin-1; returns the repaired name, or null when it was fine. */
export function recoverMojibake(name: string): string | null {
  const codes = [...name].map((c) => c.codePointAt(0)!);
  if (!codes.some((c) => c >= 0x80) || codes.some((c) => c > 0xff)) return null;
  const decoded = Buffer.from(name, "latin1").toString("utf8");
  return decoded.includes("\ufffd") || decoded === name ? null : decoded;
}

import { randomInt } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** Id prefixes, the same as the legacy AIMO so migrated and new ids look alike. */
export const ID_PREFIXES = {
  user: "u",
  memo: "m",
  category: "c",
  tag: "t",
  relation: "r",
  attachment: "a",
  conversation: "conv",
  message: "msg",
  recommendation: "rec",
  pushRule: "push",
  pushDelivery: "pd",
  apiToken: "tok",
  vectorJob: "vj",
  importSession: "imp",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** The one id generator: a type prefix and 23 random characters of [0-9a-z]. */
export function createId(kind: IdKind): string {
  let body = "";
  for (let i = 0; i < 23; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return ID_PREFIXES[kind] + body;
}

import { randomBytes } from "node:crypto";

import { hash, verify } from "@node-rs/argon2";
import bcrypt from "bcryptjs";

/** argon2id with the library's defaults (19 MiB, 2 passes): slow enough for passwords, quick enough for a login. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

const isBcrypt = (stored: string) => /^\$2[aby]\$/.test(stored);

/** Verifies against argon2id hashes and the bcrypt hashes of accounts migrated from the legacy AIMO. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (isBcrypt(stored)) return bcrypt.compare(password, stored);
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A legacy bcrypt hash is replaced by argon2id at the next successful login. */
export const needsRehash = isBcrypt;

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password against an account's hash, or against a hash of nothing when there is no such account:
 * both take one KDF run, so the answer's timing does not tell which emails have accounts.
 */
export async function verifyAccountPassword(
  account: { passwordHash: string } | undefined,
  password: string,
): Promise<boolean> {
  if (account) return verifyPassword(account.passwordHash, password);
  await verifyPassword(await (dummyHash ??= hashPassword(randomBytes(16).toString("hex"))), password);
  return false;
}

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

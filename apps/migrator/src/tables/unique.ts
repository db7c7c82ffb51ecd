import type { CollationKeys } from "../collation";

/** A record's claim on a value of a unique index, within a scope (the owner, or "" for a global index). */
export interface Claim {
  id: string;
  scope: string;
  value: string;
  createdAt: number;
}

/** Oldest first, then by id: every run decides the same way whatever order the source is read in. */
const byAge = (a: Claim, b: Claim) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Claims values in age order; a value whose collation key is already taken in its scope loses. */
async function claimInOrder(claims: Claim[], table: string, column: string, keysOf: CollationKeys) {
  const keys = await keysOf(
    table,
    column,
    claims.map((c) => c.value),
  );
  const taken = new Set<string>();
  const losers: Claim[] = [];
  for (const claim of [...claims].sort(byAge)) {
    const key = `${claim.scope}\u0000${keys.get(claim.value)}`;
    if (taken.has(key)) losers.push(claim);
    else taken.add(key);
  }
  return { losers, taken };
}

/** Ids whose value collides with an older record's (users whose email or phone another account holds). */
export async function youngerDuplicates(
  claims: Claim[],
  table: string,
  column: string,
  keysOf: CollationKeys,
) {
  return new Set((await claimInOrder(claims, table, column, keysOf)).losers.map((c) => c.id));
}

export interface NameResolution {
  /** Same name as the legacy app compares names (trimmed, lower-cased): folded into the oldest. */
  merged: Map<string, string>;
  /** Different names to the legacy app that the target's collation holds equal (accents, emoji): renamed. */
  renamed: Map<string, string>;
}

/** Per-user category or tag names (already trimmed) made unique under the target's collation. */
export async function resolveNames(
  claims: Claim[],
  table: string,
  maxLength: number,
  keysOf: CollationKeys,
): Promise<NameResolution> {
  const merged = new Map<string, string>();
  const oldestByName = new Map<string, string>();
  const kept: Claim[] = [];
  for (const claim of [...claims].sort(byAge)) {
    const legacyName = `${claim.scope}\u0000${claim.value.toLowerCase()}`;
    const oldest = oldestByName.get(legacyName);
    if (oldest === undefined) {
      oldestByName.set(legacyName, claim.id);
      kept.push(claim);
    } else {
      merged.set(claim.id, oldest);
    }
  }
  const { losers, taken } = await claimInOrder(kept, table, "name", keysOf);
  const renamed = new Map<string, string>();
  for (const loser of losers) {
    for (let n = 2; !renamed.has(loser.id); n++) {
      const suffix = ` (${n})`;
      const candidate = [...loser.value].slice(0, maxLength - suffix.length).join("") + suffix;
      const key = `${loser.scope}\u0000${(await keysOf(table, "name", [candidate])).get(candidate)}`;
      if (!taken.has(key)) {
        taken.add(key);
        renamed.set(loser.id, candidate);
      }
    }
  }
  return { merged, renamed };
}

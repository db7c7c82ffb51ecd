import { NAME_MAX } from "@aimo/db";

import type { CollationKeys } from "../collation";
import type { LegacyRow, LegacySource } from "../legacy/reader";
import type { Claim, NameResolution } from "./unique";
import { resolveNames, youngerDuplicates } from "./unique";
import { email, identifier } from "./values";

/** Lookups the row mappers need, built in one pass over the small tables before copying. */
export interface MappingContext {
  categories: NameResolution;
  tags: NameResolution;
  /** Owner of every category, tag, attachment and conversation id, so nothing links to another user's. */
  categoryOwners: Map<string, string>;
  tagOwners: Map<string, string>;
  attachmentOwners: Map<string, string>;
  conversationOwners: Map<string, string>;
  /** Users whose email or phone an older account holds (unique in the new schema): migrated without it. */
  duplicateEmails: Set<string>;
  duplicatePhones: Set<string>;
}

async function readAll(source: LegacySource, table: string, columns: string[]) {
  const rows: LegacyRow[] = [];
  for await (const batch of source.batches(table, 5000, columns)) rows.push(...batch);
  return rows;
}

const ownersOf = (rows: LegacyRow[], idColumn: string) =>
  new Map(rows.map((row) => [String(row[idColumn]), String(row.uid)]));

async function namedTable(source: LegacySource, table: string, idColumn: string, keysOf: CollationKeys) {
  const rows = await readAll(source, table, [idColumn, "uid", "name", "createdAt"]);
  const claims: Claim[] = rows.map((row) => ({
    id: String(row[idColumn]),
    scope: String(row.uid),
    value: String(row.name).trim(),
    createdAt: Number(row.createdAt),
  }));
  return { owners: ownersOf(rows, idColumn), names: await resolveNames(claims, table, NAME_MAX, keysOf) };
}

async function userDuplicates(source: LegacySource, keysOf: CollationKeys) {
  const rows = await readAll(source, "users", ["uid", "email", "phone", "createdAt"]);
  const claimsOf = (valueOf: (row: LegacyRow) => string | null): Claim[] =>
    rows.flatMap((row) => {
      const value = valueOf(row);
      return value === null
        ? []
        : [{ id: String(row.uid), scope: "", value, createdAt: Number(row.createdAt) }];
    });
  return {
    emails: await youngerDuplicates(
      claimsOf((row) => email(row.email)),
      "users",
      "email",
      keysOf,
    ),
    phones: await youngerDuplicates(
      claimsOf((row) => identifier(row.phone)),
      "users",
      "phone",
      keysOf,
    ),
  };
}

export async function buildMappingContext(
  source: LegacySource,
  keysOf: CollationKeys,
): Promise<MappingContext> {
  const categories = await namedTable(source, "categories", "categoryId", keysOf);
  const tags = await namedTable(source, "tags", "tagId", keysOf);
  const users = await userDuplicates(source, keysOf);
  return {
    categories: categories.names,
    tags: tags.names,
    categoryOwners: categories.owners,
    tagOwners: tags.owners,
    attachmentOwners: ownersOf(await readAll(source, "attachments", ["attachmentId", "uid"]), "attachmentId"),
    conversationOwners: ownersOf(
      await readAll(source, "ai_conversations", ["conversationId", "uid"]),
      "conversationId",
    ),
    duplicateEmails: users.emails,
    duplicatePhones: users.phones,
  };
}

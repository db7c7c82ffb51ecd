import { index, mysqlTable, timestamp, varchar } from "drizzle-orm/mysql-core";

import { createdAt, id } from "./columns";
import { users } from "./users";

/** Long-lived personal API tokens (scripts, browser extension); only a SHA-256 of the secret is stored. */
export const apiTokens = mysqlTable(
  "api_tokens",
  {
    id: id("id").primaryKey(),
    uid: id("uid")
      .notNull()
      .references(() => users.uid, { onDelete: "cascade" }),
    name: varchar("name", { length: 64 }).notNull(),
    tokenHash: varchar("token_hash", { length: 64 }).notNull().unique("api_tokens_token_hash_unique"),
    /** The first characters of the token, shown so a user can tell tokens apart. */
    prefix: varchar("prefix", { length: 16 }).notNull(),
    lastUsedAt: timestamp("last_used_at", { mode: "date", fsp: 3 }),
    expiresAt: timestamp("expires_at", { mode: "date", fsp: 3 }),
    createdAt: createdAt(),
  },
  (t) => [index("uid_idx").on(t.uid)],
);

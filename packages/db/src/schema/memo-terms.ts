import { customType, index, mysqlTable, primaryKey } from "drizzle-orm/mysql-core";

import { id } from "./columns";
import { memos } from "./memos";

/** A search term: binary collation, so terms that a case- or accent-folding collation would merge stay apart. */
const term = customType<{ data: string; driverData: string }>({
  dataType() {
    return "varchar(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
  },
});

/**
 * The keyword index: one row per (user, term, memo), filled from `memoTermsOf(content)` in the memo's own
 * transaction. Keyed by user first, so a search reads only the caller's postings, however large the
 * instance is.
 */
export const memoTerms = mysqlTable(
  "memo_terms",
  {
    uid: id("uid").notNull(),
    term: term("term").notNull(),
    memoId: id("memo_id")
      .notNull()
      .references(() => memos.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ name: "memo_terms_pk", columns: [t.uid, t.term, t.memoId] }),
    index("memo_terms_memo_id_idx").on(t.memoId),
  ],
);

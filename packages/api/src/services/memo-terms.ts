import type { Transaction } from "@aimo/db";
import { memoTerms, memoTermsOf } from "@aimo/db";
import { eq } from "drizzle-orm";

/** Rows per INSERT: a long memo's terms go in a few statements, not one huge one. */
const INSERT_CHUNK = 2000;

/** Writes a new memo's keyword postings, inside the transaction that writes the memo. */
export async function insertMemoTerms(tx: Transaction, memo: { id: string; uid: string; content: string }) {
  const rows = memoTermsOf(memo.content).map((term) => ({ uid: memo.uid, term, memoId: memo.id }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(memoTerms).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

/** Rewrites an edited memo's keyword postings from its new content, in the transaction of the edit. */
export async function replaceMemoTerms(tx: Transaction, memo: { id: string; uid: string; content: string }) {
  await tx.delete(memoTerms).where(eq(memoTerms.memoId, memo.id));
  await insertMemoTerms(tx, memo);
}

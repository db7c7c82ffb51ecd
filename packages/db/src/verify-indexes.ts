import type { DbHandle } from "./client";

/** The queries AIMO runs on every request path; each must be answered through an index. */
export const CRITICAL_QUERIES: { name: string; sql: string }[] = [
  {
    name: "a user's memos, newest first",
    sql: "SELECT id FROM memos WHERE uid = 'u0' ORDER BY created_at DESC LIMIT 20",
  },
  {
    name: "a user's memos, recently updated first",
    sql: "SELECT id FROM memos WHERE uid = 'u0' ORDER BY updated_at DESC LIMIT 20",
  },
  {
    name: "a user's memos in a category",
    sql: "SELECT id FROM memos WHERE uid = 'u0' AND category_id = 'c0' ORDER BY created_at DESC LIMIT 20",
  },
  { name: "a tag's memos", sql: "SELECT memo_id FROM memo_tags WHERE tag_id = 't0'" },
  {
    name: "a memo's outgoing links",
    sql: "SELECT target_memo_id FROM memo_relations WHERE source_memo_id = 'm0'",
  },
  {
    name: "a memo's backlinks",
    sql: "SELECT source_memo_id FROM memo_relations WHERE target_memo_id = 'm0'",
  },
  {
    name: "a conversation's messages",
    sql: "SELECT id FROM ai_messages WHERE conversation_id = 'conv0' ORDER BY created_at",
  },
  {
    name: "a user's recommendation for a date",
    sql: "SELECT id FROM daily_recommendations WHERE uid = 'u0' AND date = '2026-01-01'",
  },
  { name: "a user's categories", sql: "SELECT id FROM categories WHERE uid = 'u0'" },
  { name: "a user's tags", sql: "SELECT id FROM tags WHERE uid = 'u0' ORDER BY usage_count DESC" },
  {
    name: "a user's attachments",
    sql: "SELECT id FROM attachments WHERE uid = 'u0' ORDER BY created_at DESC",
  },
  {
    name: "a user's conversations",
    sql: "SELECT id FROM ai_conversations WHERE uid = 'u0' ORDER BY updated_at DESC",
  },
  { name: "a user's push rules", sql: "SELECT id FROM push_rules WHERE uid = 'u0'" },
  { name: "push rules due at an hour", sql: "SELECT id FROM push_rules WHERE push_time = 8 AND enabled = 1" },
  {
    name: "a rule's deliveries",
    sql: "SELECT id FROM push_deliveries WHERE rule_id = 'push0' ORDER BY created_at DESC LIMIT 50",
  },
  { name: "a user's API tokens", sql: "SELECT id FROM api_tokens WHERE uid = 'u0'" },
  { name: "a token by its hash", sql: "SELECT id FROM api_tokens WHERE token_hash = 'h0'" },
  { name: "a user by email", sql: "SELECT uid FROM users WHERE email = 'a@b.c'" },
  {
    name: "due vector work",
    sql: "SELECT id FROM vector_jobs WHERE status = 'pending' AND run_after <= NOW(3) ORDER BY run_after LIMIT 100",
  },
];

export interface IndexCheck {
  query: string;
  table: string;
  key: string | null;
  type: string | null;
  rows: number | null;
  ok: boolean;
}

interface ExplainRow {
  table: string | null;
  type: string | null;
  key: string | null;
  rows: number | string | null;
  Extra: string | null;
}

// On an empty table a unique lookup is resolved as a constant before any row is read: an index did that.
const CONST_LOOKUP = /no matching row in const table|Impossible WHERE noticed after reading const tables/i;

/** EXPLAINs every critical query; a check fails on a full scan (`type: ALL`) or no key. */
export async function verifyIndexes(handle: DbHandle): Promise<IndexCheck[]> {
  const checks: IndexCheck[] = [];
  for (const query of CRITICAL_QUERIES) {
    const [rows] = await handle.pool.query(`EXPLAIN ${query.sql}`);
    for (const row of rows as ExplainRow[]) {
      const constLookup = row.key === null && CONST_LOOKUP.test(row.Extra ?? "");
      checks.push({
        query: query.name,
        table: row.table ?? "",
        key: constLookup ? "(unique, const)" : row.key,
        type: constLookup ? "const" : row.type,
        rows: row.rows === null ? null : Number(row.rows),
        ok: constLookup || (row.type !== "ALL" && row.key !== null),
      });
    }
  }
  return checks;
}

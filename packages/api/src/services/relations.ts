import { createId, memoRelations, memos } from "@aimo/db";
import { and, asc, eq, inArray } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { LinkInput } from "../schemas/relation";
import { badRequest, conflict, isDuplicateKey, notFound } from "../errors";
import { ownedMemoDtosInOrder, ownedMemoIds } from "./memo-reads";

async function requireOwned(ctx: ApiDeps, uid: string, ids: string[]) {
  const owned = await ownedMemoIds(ctx.db, uid, ids);
  if (owned.size !== new Set(ids).size) throw notFound("Memo");
}

export const GRAPH_NODE_LIMIT = 2000;

export const relationService = {
  async link(ctx: ApiDeps, uid: string, input: LinkInput) {
    if (input.sourceMemoId === input.targetMemoId) throw badRequest("A memo cannot link to itself");
    await requireOwned(ctx, uid, [input.sourceMemoId, input.targetMemoId]);
    const id = createId("relation");
    try {
      await ctx.db.insert(memoRelations).values({ id, uid, ...input });
    } catch (error) {
      if (isDuplicateKey(error)) throw conflict("These memos are already linked");
      throw error;
    }
    return { id, ...input };
  },

  async unlink(ctx: ApiDeps, uid: string, input: LinkInput) {
    const [result] = await ctx.db
      .delete(memoRelations)
      .where(
        and(
          eq(memoRelations.uid, uid),
          eq(memoRelations.sourceMemoId, input.sourceMemoId),
          eq(memoRelations.targetMemoId, input.targetMemoId),
        ),
      );
    if (result.affectedRows === 0) throw notFound("Link");
    return { ok: true as const };
  },

  async outgoing(ctx: ApiDeps, uid: string, memoId: string) {
    await requireOwned(ctx, uid, [memoId]);
    const rows = await ctx.db
      .select({ id: memoRelations.targetMemoId })
      .from(memoRelations)
      .where(eq(memoRelations.sourceMemoId, memoId))
      .orderBy(asc(memoRelations.createdAt));
    return ownedMemoDtosInOrder(
      ctx.db,
      uid,
      rows.map((r) => r.id),
    );
  },

  async backlinks(ctx: ApiDeps, uid: string, memoId: string) {
    await requireOwned(ctx, uid, [memoId]);
    const rows = await ctx.db
      .select({ id: memoRelations.sourceMemoId })
      .from(memoRelations)
      .where(eq(memoRelations.targetMemoId, memoId))
      .orderBy(asc(memoRelations.createdAt));
    return ownedMemoDtosInOrder(
      ctx.db,
      uid,
      rows.map((r) => r.id),
    );
  },

  /** The user's link graph: linked memos as nodes (with a short excerpt) and links as edges. */
  async graph(ctx: ApiDeps, uid: string) {
    const edges = await ctx.db
      .select({ source: memoRelations.sourceMemoId, target: memoRelations.targetMemoId })
      .from(memoRelations)
      .where(eq(memoRelations.uid, uid))
      .orderBy(asc(memoRelations.createdAt))
      .limit(GRAPH_NODE_LIMIT * 4);
    const nodeIds = [...new Set(edges.flatMap((e) => [e.source, e.target]))].slice(0, GRAPH_NODE_LIMIT);
    const nodes = nodeIds.length
      ? await ctx.db
          .select({ id: memos.id, content: memos.content, createdAt: memos.createdAt })
          .from(memos)
          .where(and(eq(memos.uid, uid), inArray(memos.id, nodeIds)))
      : [];
    const kept = new Set(nodes.map((n) => n.id));
    return {
      nodes: nodes.map((n) => ({
        id: n.id,
        excerpt: n.content.slice(0, 80),
        createdAt: n.createdAt.getTime(),
      })),
      edges: edges.filter((e) => kept.has(e.source) && kept.has(e.target)),
    };
  },
};

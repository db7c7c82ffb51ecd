import { MEDIUMTEXT_MAX_BYTES, MEMO_TYPES, memos, memoTagRows, memoTags } from "@aimo/db";

import { isOneOf, RecordError, requiredText, stringList, text, timestamp } from "../values";
import { countRepair, tableSpec } from "./types";

export const memosSpec = tableSpec({
  legacyIdColumn: "memoId",
  target: memos,
  vectorTable: "memos",
  map(row, { id, ctx, repairs }) {
    const uid = String(row.uid);
    let categoryId = text(row.categoryId);
    if (categoryId !== null) {
      categoryId = ctx.categories.merged.get(categoryId) ?? categoryId;
      if (ctx.categoryOwners.get(categoryId) !== uid) {
        countRepair(repairs, "memo categories of deleted categories cleared");
        categoryId = null;
      }
    }
    const rawTags = stringList(row.tagIds);
    const tagIds = [
      ...new Set(rawTags.map((t) => ctx.tags.merged.get(t) ?? t).filter((t) => ctx.tagOwners.get(t) === uid)),
    ];
    if (tagIds.length < rawTags.length) {
      countRepair(
        repairs,
        "dangling, foreign or duplicate tag ids dropped from memos",
        rawTags.length - tagIds.length,
      );
    }
    const rawAttachments = stringList(row.attachments);
    const attachmentIds = [...new Set(rawAttachments)].filter((a) => ctx.attachmentOwners.get(a) === uid);
    if (attachmentIds.length < rawAttachments.length) {
      countRepair(
        repairs,
        "dangling, foreign or duplicate attachment ids dropped from memos",
        rawAttachments.length - attachmentIds.length,
      );
    }
    const type = text(row.type) ?? "text";
    if (!isOneOf(MEMO_TYPES, type))
      throw new RecordError(`type "${type}" is not one of ${MEMO_TYPES.join(", ")}`);
    const content = requiredText(row.content, "content");
    if (Buffer.byteLength(content, "utf8") > MEDIUMTEXT_MAX_BYTES)
      throw new RecordError("content is larger than MEDIUMTEXT holds");
    const vector = row.embedding instanceof Float32Array ? row.embedding : null;
    if (!vector) throw new RecordError("embedding is missing");
    return {
      row: {
        uid,
        categoryId,
        content,
        type,
        source: text(row.source),
        attachmentIds,
        isPublic: row.isPublic === true,
        createdAt: timestamp(row.createdAt, "createdAt"),
        updatedAt: timestamp(row.updatedAt, "updatedAt"),
      },
      children: () => [{ table: memoTags, rows: memoTagRows(id, uid, tagIds) }],
      vector: { uid, vector },
      keywordText: content,
    };
  },
});

import {
  aiConversations,
  aiMessages,
  attachments,
  categories,
  dailyRecommendations,
  memoRelations,
  memos,
  memoTags,
  pushRules,
  tags,
  users,
} from "@aimo/db";
import type { DbHandle } from "@aimo/db";
import type { MySqlTable } from "drizzle-orm/mysql-core";

import type { BulkWrite } from "../bulk-insert";
import type { LegacyRow } from "../legacy/reader";
import { memoOwners } from "../target";
import type { MappingContext } from "./context";
import type { NameResolution } from "./unique";
import {
  email,
  identifier,
  jsonText,
  NAME_LENGTH,
  RecordError,
  recoverMojibake,
  requiredText,
  stringList,
  text,
  timestamp,
} from "./values";

export type Repairs = Map<string, number>;
export const countRepair = (repairs: Repairs, name: string, by = 1) =>
  repairs.set(name, (repairs.get(name) ?? 0) + by);

export interface MappedRecord {
  id: string;
  /** The MySQL row. */
  row: Record<string, unknown>;
  /**
   * Rows of other tables written in the same transaction (a memo's tags); built only for records that are
   * written.
   */
  children?: () => BulkWrite[];
  /** The vector that goes to LanceDB with the record. */
  vector?: { uid: string; vector: Float32Array };
  /** The text that goes to LanceDB's keyword index with the record (memos). */
  keywordText?: string;
}

export interface TableSpec {
  name: string;
  legacyIdColumn: string;
  target: MySqlTable;
  /**
   * Null when the record is folded into another one or dropped (a repair, counted in `repairs`).
   * `owners` maps the target ids a batch refers to onto their owners (see `ownersOf`).
   */
  map(
    row: LegacyRow,
    ctx: MappingContext,
    repairs: Repairs,
    owners: Map<string, string>,
  ): MappedRecord | null;
  /** Fetches, once per batch, the owners of target rows the batch refers to. */
  ownersOf?: (rows: LegacyRow[], handle: DbHandle) => Promise<Map<string, string>>;
  /** Which vector table the records' vectors go to. */
  vectorTable?: "memos" | "attachments";
  /** A duplicate key on insert means "already there under another id": collapsed, not failed. */
  collapseDuplicates?: string;
}

/** Categories and tags: per-user names, unique ignoring case (see `resolveNames`). */
function namedSpec(
  name: string,
  legacyIdColumn: string,
  target: MySqlTable,
  names: (ctx: MappingContext) => NameResolution,
  noun: string,
  extra: Record<string, unknown> = {},
): TableSpec {
  return {
    name,
    legacyIdColumn,
    target,
    map(row, ctx, repairs) {
      const id = String(row[legacyIdColumn]);
      const { merged, renamed } = names(ctx);
      if (merged.has(id)) {
        countRepair(repairs, `duplicate ${noun} names merged`);
        return null;
      }
      const given = requiredText(row.name, "name");
      const value = renamed.get(id) ?? given.trim();
      if (renamed.has(id))
        countRepair(repairs, `${noun} names suffixed (equal to another in MySQL's collation)`);
      else if (value !== given) countRepair(repairs, `${noun} names trimmed`);
      if (!value) throw new RecordError("name is empty");
      if ([...value].length > NAME_LENGTH)
        throw new RecordError(`name is longer than ${NAME_LENGTH} characters`);
      return {
        id,
        row: {
          id,
          uid: String(row.uid),
          name: value,
          color: text(row.color),
          ...extra,
          createdAt: timestamp(row.createdAt, "createdAt"),
          updatedAt: timestamp(row.updatedAt, "updatedAt"),
        },
      };
    },
  };
}

export const TABLE_SPECS: TableSpec[] = [
  {
    name: "users",
    legacyIdColumn: "uid",
    target: users,
    map(row, ctx, repairs) {
      const uid = String(row.uid);
      // An email or phone an older account holds would break the unique index: this account goes without.
      const clear = (value: string | null, duplicates: Set<string>, repair: string) => {
        if (value === null || !duplicates.has(uid)) return value;
        countRepair(repairs, repair);
        return null;
      };
      return {
        id: uid,
        row: {
          uid,
          email: clear(email(row.email), ctx.duplicateEmails, "emails held by an older account cleared"),
          phone: clear(identifier(row.phone), ctx.duplicatePhones, "phones held by an older account cleared"),
          passwordHash: requiredText(row.password, "password", 255),
          nickname: text(row.nickname),
          avatar: text(row.avatar),
          status: Number(row.status ?? 1),
          createdAt: timestamp(row.createdAt, "createdAt"),
          updatedAt: timestamp(row.updatedAt, "updatedAt"),
        },
      };
    },
  },
  namedSpec("categories", "categoryId", categories, (ctx) => ctx.categories, "category"),
  // Tag usage counts start at 0 and are recomputed from the memos once they are in (the legacy counter drifts).
  namedSpec("tags", "tagId", tags, (ctx) => ctx.tags, "tag", { usageCount: 0 }),
  {
    name: "memos",
    legacyIdColumn: "memoId",
    target: memos,
    vectorTable: "memos",
    map(row, ctx, repairs) {
      const id = String(row.memoId);
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
        ...new Set(
          rawTags.map((t) => ctx.tags.merged.get(t) ?? t).filter((t) => ctx.tagOwners.get(t) === uid),
        ),
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
      if (!["text", "audio", "video"].includes(type))
        throw new RecordError(`type "${type}" is not text, audio or video`);
      const content = requiredText(row.content, "content");
      if (Buffer.byteLength(content, "utf8") > 16_777_215)
        throw new RecordError("content is larger than MEDIUMTEXT holds");
      const vector = row.embedding instanceof Float32Array ? row.embedding : null;
      if (!vector) throw new RecordError("embedding is missing");
      return {
        id,
        row: {
          id,
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
        children: () => [
          { table: memoTags, rows: tagIds.map((tagId, position) => ({ memoId: id, tagId, uid, position })) },
        ],
        vector: { uid, vector },
        keywordText: content,
      };
    },
  },
  {
    name: "memo_relations",
    legacyIdColumn: "relationId",
    target: memoRelations,
    collapseDuplicates: "duplicate links collapsed",
    ownersOf: (rows, handle) =>
      memoOwners(
        handle,
        rows.flatMap((row) => [String(row.sourceMemoId), String(row.targetMemoId)]),
      ),
    map(row, _ctx, repairs, owners) {
      const source = String(row.sourceMemoId);
      const target = String(row.targetMemoId);
      if (source === target) throw new RecordError("a memo linking to itself");
      // The legacy app never checked that a link stays inside one user's memos; the new one refuses such links.
      if ([source, target].some((memoId) => (owners.get(memoId) ?? row.uid) !== row.uid)) {
        countRepair(repairs, "links to another user's memo dropped");
        return null;
      }
      return {
        id: String(row.relationId),
        row: {
          id: String(row.relationId),
          uid: String(row.uid),
          sourceMemoId: source,
          targetMemoId: target,
          createdAt: timestamp(row.createdAt, "createdAt"),
        },
      };
    },
  },
  {
    name: "attachments",
    legacyIdColumn: "attachmentId",
    target: attachments,
    vectorTable: "attachments",
    map(row, _ctx, repairs) {
      const id = String(row.attachmentId);
      let filename = requiredText(row.filename, "filename", 512);
      const recovered = recoverMojibake(filename);
      if (recovered) {
        countRepair(repairs, "garbled file names recovered");
        filename = recovered;
      }
      const storageType = requiredText(row.storageType, "storageType");
      if (!["local", "s3", "oss"].includes(storageType))
        throw new RecordError(`storageType "${storageType}" is unknown`);
      const isPublicBucket = text(row.isPublicBucket);
      const vector = row.multimodalEmbedding instanceof Float32Array ? row.multimodalEmbedding : null;
      return {
        id,
        row: {
          id,
          uid: String(row.uid),
          filename,
          mimeType: requiredText(row.type, "type", 255),
          size: Number(row.size),
          storageType,
          path: requiredText(row.path, "path", 1024),
          bucket: text(row.bucket),
          prefix: text(row.prefix),
          endpoint: text(row.endpoint),
          region: text(row.region),
          isPublicBucket: isPublicBucket === null ? null : isPublicBucket === "true",
          multimodalModelHash: text(row.multimodalModelHash),
          properties: jsonText<Record<string, unknown>>(row.properties, "properties", {}),
          createdAt: timestamp(row.createdAt, "createdAt"),
        },
        ...(vector ? { vector: { uid: String(row.uid), vector } } : {}),
      };
    },
  },
  {
    name: "ai_conversations",
    legacyIdColumn: "conversationId",
    target: aiConversations,
    map(row) {
      const id = String(row.conversationId);
      return {
        id,
        row: {
          id,
          uid: String(row.uid),
          title: requiredText(row.title, "title", 255),
          createdAt: timestamp(row.createdAt, "createdAt"),
          updatedAt: timestamp(row.updatedAt, "updatedAt"),
        },
      };
    },
  },
  {
    name: "ai_messages",
    legacyIdColumn: "messageId",
    target: aiMessages,
    map(row, ctx) {
      const id = String(row.messageId);
      const conversationId = String(row.conversationId);
      const uid = ctx.conversationOwners.get(conversationId);
      if (!uid) throw new RecordError(`conversation ${conversationId} does not exist`);
      const role = requiredText(row.role, "role");
      if (role !== "user" && role !== "assistant")
        throw new RecordError(`role "${role}" is not user or assistant`);
      const sources = (Array.isArray(row.sources) ? (row.sources as Record<string, unknown>[]) : []).map(
        (s) => ({
          memoId: String(s.memoId),
          content: text(s.content) ?? "",
          similarity: Number(s.similarity ?? 0),
        }),
      );
      return {
        id,
        row: {
          id,
          conversationId,
          uid,
          role,
          content: requiredText(row.content, "content"),
          sources,
          createdAt: timestamp(row.createdAt, "createdAt"),
        },
      };
    },
  },
  {
    name: "daily_recommendations",
    legacyIdColumn: "recommendationId",
    target: dailyRecommendations,
    collapseDuplicates: "duplicate daily picks collapsed",
    map(row) {
      const id = String(row.recommendationId);
      const date = requiredText(row.date, "date");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new RecordError(`date "${date}" is not YYYY-MM-DD`);
      return {
        id,
        row: {
          id,
          uid: String(row.uid),
          date,
          memoIds: stringList(row.memoIds),
          createdAt: timestamp(row.createdAt, "createdAt"),
        },
      };
    },
  },
  {
    name: "push_rules",
    legacyIdColumn: "id",
    target: pushRules,
    map(row) {
      const id = String(row.id);
      const pushTime = Number(row.pushTime);
      if (!Number.isInteger(pushTime) || pushTime < 0 || pushTime > 23)
        throw new RecordError(`pushTime ${String(row.pushTime)} is not an hour`);
      const contentType = requiredText(row.contentType, "contentType");
      if (contentType !== "daily_pick" && contentType !== "daily_memos")
        throw new RecordError(`contentType "${contentType}" is unknown`);
      const channels = jsonText<unknown>(row.channels, "channels", []);
      if (!Array.isArray(channels)) throw new RecordError("channels is not a JSON array");
      return {
        id,
        row: {
          id,
          uid: String(row.uid),
          name: requiredText(row.name, "name", 128),
          pushTime,
          contentType,
          channels,
          enabled: Number(row.enabled) === 1,
          createdAt: timestamp(row.createdAt, "createdAt"),
          updatedAt: timestamp(row.updatedAt, "updatedAt"),
        },
      };
    },
  },
];

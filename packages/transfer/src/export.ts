import { Readable } from "node:stream";

import type { Database, MemoWithTagsRow } from "@aimo/db";
import {
  aiConversations,
  aiMessages,
  attachments,
  categories,
  dailyRecommendations,
  memoRelations,
  memos,
  memoTagsOf,
  pushRules,
  selectMemoRows,
  tags,
} from "@aimo/db";
import type { ObjectStorage } from "@aimo/storage";
import type { SQL } from "drizzle-orm";
import { and, asc, eq, gt, inArray, or } from "drizzle-orm";
import type { AnyMySqlColumn, MySqlTable } from "drizzle-orm/mysql-core";

import type { Manifest, MemoFrontMatter } from "./format";
import { attachmentPath, EXPORT_FORMAT, EXPORT_VERSION, MANIFEST_PATH, memoPath } from "./format";
import { writeMarkdown } from "./front-matter";
import { ZipWriter } from "./zip-writer";

export interface ExportDeps {
  db: Database;
  storage: ObjectStorage;
}

const PAGE = 200;
const iso = (date: Date) => date.toISOString();

/** Rows after a keyset position, by (time, id): every table is read in pages, never whole. */
function after(
  time: AnyMySqlColumn,
  id: AnyMySqlColumn,
  last: { at: Date; id: string } | undefined,
): SQL | undefined {
  return last ? or(gt(time, last.at), and(eq(time, last.at), gt(id, last.id))) : undefined;
}

async function* pages<T extends { id: string }>(
  read: (last: { at: Date; id: string } | undefined) => Promise<T[]>,
  timeOf: (row: T) => Date,
): AsyncGenerator<T[]> {
  let last: { at: Date; id: string } | undefined;
  for (;;) {
    const rows = await read(last);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    const tail = rows[rows.length - 1]!;
    last = { at: timeOf(tail), id: tail.id };
  }
}

/** A table every row of which has an owner, a creation time and an id. */
type OwnedTable = MySqlTable & { uid: AnyMySqlColumn; createdAt: AnyMySqlColumn; id: AnyMySqlColumn };

/** A user's rows of a table, oldest first, a page at a time. */
function ownedPages<T extends OwnedTable>(db: Database, table: T, uid: string) {
  type Row = T["$inferSelect"] & { id: string; createdAt: Date };
  return pages<Row>(
    (last) =>
      db
        .select()
        .from(table)
        .where(and(eq(table.uid, uid), after(table.createdAt, table.id, last)))
        .orderBy(asc(table.createdAt), asc(table.id))
        .limit(PAGE) as unknown as Promise<Row[]>,
    (row) => row.createdAt,
  );
}

function memoFile(row: MemoWithTagsRow, categoryNames: Map<string, string>, links: string[]): string {
  const front: MemoFrontMatter = {
    id: row.id,
    created: iso(row.createdAt),
    updated: iso(row.updatedAt),
    ...(row.type !== "text" ? { type: row.type } : {}),
    ...(row.source ? { source: row.source } : {}),
    ...(row.categoryId && categoryNames.has(row.categoryId)
      ? { category: categoryNames.get(row.categoryId) }
      : {}),
    tags: memoTagsOf(row).map((tag) => tag.name),
    public: row.isPublic,
    links,
    attachments: row.attachmentIds,
  };
  return writeMarkdown(front, row.content);
}

async function writeMemos(deps: ExportDeps, zip: ZipWriter, uid: string, categoryNames: Map<string, string>) {
  const read = (last: { at: Date; id: string } | undefined) =>
    selectMemoRows(deps.db, {
      where: and(eq(memos.uid, uid), after(memos.createdAt, memos.id, last)),
      orderBy: [asc(memos.createdAt), asc(memos.id)],
      limit: PAGE,
    });
  for await (const page of pages(read, (row) => row.createdAt)) {
    const links = await deps.db
      .select({ source: memoRelations.sourceMemoId, target: memoRelations.targetMemoId })
      .from(memoRelations)
      .where(
        inArray(
          memoRelations.sourceMemoId,
          page.map((row) => row.id),
        ),
      )
      .orderBy(asc(memoRelations.createdAt), asc(memoRelations.id));
    for (const row of page) {
      const targets = links.filter((link) => link.source === row.id).map((link) => link.target);
      await zip.addText(memoPath(row.id), memoFile(row, categoryNames, targets), row.updatedAt);
      if (zip.closed) return;
    }
  }
}

/** Attachment files are opened only when the zip reaches them; a file missing from storage is left out. */
async function writeAttachments(deps: ExportDeps, zip: ZipWriter, uid: string, missing: Set<string>) {
  for await (const page of ownedPages(deps.db, attachments, uid)) {
    for (const row of page) {
      if (!(await deps.storage.exists(row.path))) {
        missing.add(row.id);
        continue;
      }
      await zip.add(attachmentPath(row.id, row.filename), () => deps.storage.read(row.path), row.createdAt);
      if (zip.closed) return;
    }
  }
}

/** JSON text of an array written element by element from pages. */
async function* jsonArray<T>(source: AsyncIterable<T[]>): AsyncGenerator<string> {
  let first = true;
  yield "[";
  for await (const page of source) {
    for (const item of page) {
      yield (first ? "\n" : ",\n") + JSON.stringify(item);
      first = false;
    }
  }
  yield "\n]";
}

async function* mapPages<T, U>(source: AsyncIterable<T[]>, map: (page: T[]) => Promise<U[]> | U[]) {
  for await (const page of source) yield await map(page);
}

/** `aimo.json`, streamed: each list is read in pages while it is written. */
async function* manifest(deps: ExportDeps, uid: string, missing: Set<string>): AsyncGenerator<string> {
  const { db } = deps;
  const named = (row: {
    id: string;
    name: string;
    color: string | null;
    createdAt: Date;
    updatedAt: Date;
  }) => ({
    id: row.id,
    name: row.name,
    color: row.color,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  });
  const head: Pick<Manifest, "format" | "version" | "exportedAt"> = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
  };
  yield JSON.stringify(head).slice(0, -1);

  const sections: [keyof Manifest, AsyncIterable<unknown[]>][] = [
    ["categories", mapPages(ownedPages(db, categories, uid), (page) => page.map(named))],
    ["tags", mapPages(ownedPages(db, tags, uid), (page) => page.map(named))],
    [
      "relations",
      mapPages(ownedPages(db, memoRelations, uid), (page) =>
        page.map((row) => ({
          sourceMemoId: row.sourceMemoId,
          targetMemoId: row.targetMemoId,
          createdAt: iso(row.createdAt),
        })),
      ),
    ],
    [
      "attachments",
      mapPages(ownedPages(deps.db, attachments, uid), (page) =>
        page.map((row) => ({
          id: row.id,
          filename: row.filename,
          mimeType: row.mimeType,
          size: row.size,
          properties: row.properties,
          createdAt: iso(row.createdAt),
          ...(missing.has(row.id) ? {} : { path: attachmentPath(row.id, row.filename) }),
        })),
      ),
    ],
    [
      "conversations",
      mapPages(ownedPages(db, aiConversations, uid), async (page) => {
        const messages = await db
          .select()
          .from(aiMessages)
          .where(
            inArray(
              aiMessages.conversationId,
              page.map((row) => row.id),
            ),
          )
          .orderBy(asc(aiMessages.createdAt), asc(aiMessages.id));
        return page.map((row) => ({
          id: row.id,
          title: row.title,
          createdAt: iso(row.createdAt),
          updatedAt: iso(row.updatedAt),
          messages: messages
            .filter((message) => message.conversationId === row.id)
            .map((message) => ({
              id: message.id,
              role: message.role,
              content: message.content,
              sources: message.sources,
              createdAt: iso(message.createdAt),
            })),
        }));
      }),
    ],
    [
      "dailyPicks",
      mapPages(ownedPages(db, dailyRecommendations, uid), (page) =>
        page.map((row) => ({ date: row.date, memoIds: row.memoIds, createdAt: iso(row.createdAt) })),
      ),
    ],
    [
      "pushRules",
      mapPages(ownedPages(db, pushRules, uid), (page) =>
        page.map((row) => ({
          id: row.id,
          name: row.name,
          pushTime: row.pushTime,
          contentType: row.contentType,
          enabled: row.enabled,
          // Webhook URLs carry their bot's token and secrets sign deliveries: neither leaves the server.
          channels: row.channels.map(({ type, nickname, msgType, htmlHeight }) => ({
            type,
            ...(nickname === undefined ? {} : { nickname }),
            ...(msgType === undefined ? {} : { msgType }),
            ...(htmlHeight === undefined ? {} : { htmlHeight }),
          })),
          createdAt: iso(row.createdAt),
          updatedAt: iso(row.updatedAt),
        })),
      ),
    ],
  ];
  for (const [key, source] of sections) {
    yield `,\n${JSON.stringify(key)}:`;
    yield* jsonArray(source);
  }
  yield "\n}\n";
}

/**
 * Everything a user owns as one zip, streamed: memos, then attachment files, then `aimo.json`. Tables are read
 * in pages and entries are queued a few at a time, so memory stays flat however large the account. Destroying
 * the returned stream (a client that hangs up) stops the reading.
 */
export function exportArchive(deps: ExportDeps, uid: string): Readable {
  const zip = new ZipWriter();
  void (async () => {
    const categoryNames = new Map<string, string>();
    for await (const page of ownedPages(deps.db, categories, uid)) {
      for (const row of page) categoryNames.set(row.id, row.name);
    }
    await writeMemos(deps, zip, uid, categoryNames);
    const missing = new Set<string>();
    await writeAttachments(deps, zip, uid, missing);
    await zip.add(MANIFEST_PATH, () => Readable.from(manifest(deps, uid, missing)), new Date());
    zip.end();
  })().catch((error: unknown) => zip.fail(error));
  return zip.output;
}

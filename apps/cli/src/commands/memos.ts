import { openAsBlob } from "node:fs";
import { basename } from "node:path";

import type { MemoDto, RouterOutputs } from "@aimo/client";
import { uploadAttachment } from "@aimo/client";
import { lookup } from "mime-types";

import { UsageError } from "../errors";
import { readStdin } from "../input";
import type { Answer } from "../output";
import type { Session } from "../session";

/** The type an upload is sent as (the server checks it against ATTACHMENT_ALLOWED_MIME_TYPES), by extension. */
const mimeTypeOf = (path: string) => lookup(path) || "application/octet-stream";

const time = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** One memo in a few lines: time, id and tags, then its text, indented (cut after `maxLines`). */
function describeMemo(memo: MemoDto, { maxLines = 3, extra = "" } = {}): string {
  const tags = memo.tags.map((tag) => `#${tag.name}`).join(" ");
  const lines = memo.content.trim().split("\n");
  const shown = lines.slice(0, maxLines).map((line) => `  ${line}`);
  if (lines.length > maxLines) shown.push(`  … (${lines.length - maxLines} more lines)`);
  const files = memo.attachmentIds.length ? `  [${memo.attachmentIds.length} attachment(s)]` : "";
  return [`${time(memo.createdAt)}  ${memo.id}${extra}${tags ? `  ${tags}` : ""}${files}`, ...shown].join(
    "\n",
  );
}

/** The id of the category named `name`, created when there is none. */
async function categoryId(session: Session, name: string): Promise<string> {
  const categories = await session.client.category.list.query();
  const found = categories.find((category) => category.name === name);
  return found?.id ?? (await session.client.category.create.mutate({ name })).id;
}

export interface AddOptions {
  tag: string[];
  category?: string;
  file: string[];
  public?: boolean;
}

/** A memo from the words given, or from stdin when none are; attachments are uploaded first. */
export async function addMemo(session: Session, words: string[], options: AddOptions): Promise<Answer> {
  let content = words.join(" ");
  if (!content && !process.stdin.isTTY) content = await readStdin();
  if (!content.trim() && options.file.length === 0)
    throw new UsageError("Nothing to add: give the text as arguments, pipe it on stdin, or attach a --file.");
  const attachmentIds: string[] = [];
  for (const path of options.file) {
    const blob = await openAsBlob(path, { type: mimeTypeOf(path) });
    attachmentIds.push((await uploadAttachment(session.options, blob, basename(path))).id);
  }
  const memo = await session.client.memo.create.mutate({
    content,
    tagNames: options.tag.length ? options.tag : undefined,
    categoryId: options.category ? await categoryId(session, options.category) : undefined,
    attachmentIds: attachmentIds.length ? attachmentIds : undefined,
    isPublic: options.public,
  });
  return { json: memo, text: `Added ${memo.id}.\n${describeMemo(memo)}` };
}

/** The newest memos, `limit` of them, a page (at most 100) at a time. */
export async function listMemos(session: Session, limit: number): Promise<Answer> {
  const memos: MemoDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await session.client.memo.list.query({
      limit: Math.min(100, limit - memos.length),
      cursor,
      order: "newest",
    });
    memos.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && memos.length < limit);
  return {
    json: memos,
    text: memos.length ? memos.map((memo) => describeMemo(memo)).join("\n\n") : "No memos yet.",
  };
}

type SearchAnswer = RouterOutputs["search"]["query"];

export async function searchMemos(
  session: Session,
  query: string,
  options: { mode: "hybrid" | "semantic" | "keyword"; limit: number },
): Promise<Answer> {
  const answer: SearchAnswer = await session.client.search.query.query({ query, ...options });
  const lines = answer.hits.map((hit) =>
    describeMemo(hit.memo, { extra: `  score ${hit.score.toFixed(3)}` }),
  );
  const notice = answer.degraded ? "\n(Keyword results only: semantic search is unavailable right now.)" : "";
  return {
    json: answer,
    text: (lines.length ? lines.join("\n\n") : `Nothing found for "${query}".`) + notice,
  };
}

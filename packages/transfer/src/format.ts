import { MESSAGE_ROLES, NAME_MAX, PUSH_CONTENT_TYPES } from "@aimo/db";
import { z } from "zod";

/**
 * The AIMO export: one zip holding `memos/<id>.md` (front matter + text), `attachments/<id>/<file name>` (the
 * bytes) and `aimo.json`, everything else a user owns. Times are ISO 8601 UTC strings.
 */
export const MANIFEST_PATH = "aimo.json";
export const EXPORT_FORMAT = "aimo-export";
export const EXPORT_VERSION = 1;

export const memoPath = (id: string) => `memos/${id}.md`;
export const attachmentPath = (id: string, filename: string) =>
  `attachments/${id}/${filename.replace(/[\\/]/g, "_")}`;

const isoTime = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(191);
const name = z.string().trim().min(1).max(NAME_MAX);
const color = z.string().max(32).nullable().optional();

const namedThing = z.object({ id, name, color, createdAt: isoTime, updatedAt: isoTime });

export const manifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: isoTime,
  categories: z.array(namedThing),
  tags: z.array(namedThing),
  relations: z.array(z.object({ sourceMemoId: id, targetMemoId: id, createdAt: isoTime })),
  attachments: z.array(
    z.object({
      id,
      filename: z.string().min(1).max(512),
      mimeType: z.string().min(1).max(255),
      size: z.number().int().min(0),
      properties: z.record(z.string(), z.unknown()),
      createdAt: isoTime,
      /** Absent when the file was missing from storage at export time. */
      path: z.string().min(1).optional(),
    }),
  ),
  conversations: z.array(
    z.object({
      id,
      title: z.string().max(255),
      createdAt: isoTime,
      updatedAt: isoTime,
      messages: z.array(
        z.object({
          id,
          role: z.enum(MESSAGE_ROLES),
          content: z.string(),
          sources: z.array(z.object({ memoId: id, content: z.string(), similarity: z.number() })),
          createdAt: isoTime,
        }),
      ),
    }),
  ),
  dailyPicks: z.array(z.object({ date: z.iso.date(), memoIds: z.array(id), createdAt: isoTime })),
  pushRules: z.array(
    z.object({
      id,
      name: z.string().min(1).max(128),
      pushTime: z.number().int().min(0).max(23),
      contentType: z.enum(PUSH_CONTENT_TYPES),
      enabled: z.boolean(),
      /** Channels without their webhook URLs and secrets. */
      channels: z.array(
        z.object({
          type: z.enum(["meow", "feishu", "webhook"]),
          nickname: z.string().optional(),
          msgType: z.enum(["text", "html"]).optional(),
          htmlHeight: z.number().optional(),
        }),
      ),
      createdAt: isoTime,
      updatedAt: isoTime,
    }),
  ),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** What a memo file's front matter holds in an AIMO export. */
export const memoFrontMatterSchema = z.object({
  id,
  created: isoTime,
  updated: isoTime,
  type: z.enum(["text", "audio", "video"]).default("text"),
  source: z.string().max(2048).optional(),
  category: name.optional(),
  tags: z.array(name).default([]),
  public: z.boolean().default(false),
  links: z.array(id).default([]),
  attachments: z.array(id).default([]),
});
export type MemoFrontMatter = z.input<typeof memoFrontMatterSchema>;

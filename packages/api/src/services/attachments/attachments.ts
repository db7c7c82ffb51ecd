import { extname } from "node:path";

import type { Attachment, Executor } from "@aimo/db";
import { attachments, createId, memos, withTransaction } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import type { SQL } from "drizzle-orm";
import { and, desc, eq, sql } from "drizzle-orm";
import { imageSizeFromFile } from "image-size/fromFile";

import type { ApiDeps } from "../../context";
import type { AttachmentDto } from "../../dto/attachment";
import { toAttachmentDto } from "../../dto/attachment";
import { badRequest, notFound } from "../../errors";
import type { AttachmentPatch } from "../../schemas/attachment";
import type { PageInput } from "../../validation";
import { afterCursor, keysetPage } from "../pagination";
import { isMimeTypeAllowed, normalizeMimeType } from "../../config/attachments";
import { signDownload, verifyDownload } from "./signing";
import { applyNow, attachmentJobs, enqueueVectorWork } from "../vector-outbox";
import { isEmbeddableImage } from "./images";

/** An upload that has fully arrived in a local file (the HTTP route spools it there). */
export interface SpooledUpload {
  filePath: string;
  filename: string;
  mimeType: string;
  size: number;
}

const MAX_FILENAME_LENGTH = 255;

/** Keeps what a person typed (any script) and drops path parts, control characters and excess length. */
export function cleanFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return [...clean].slice(0, MAX_FILENAME_LENGTH).join("") || "file";
}

/** `<uid>/<YYYY-MM-DD>/<id>.<ext>`, the extension taken from the file name when it is a plain one. */
function storageKey(uid: string, id: string, filename: string, at: Date): string {
  const ext = extname(filename).slice(1).toLowerCase();
  return `${uid}/${at.toISOString().slice(0, 10)}/${id}.${/^[a-z0-9]{1,10}$/.test(ext) ? ext : "bin"}`;
}

/** Width and height as displayed (EXIF orientations 5-8 are rotated a quarter turn); none when unreadable. */
async function imageProperties(filePath: string): Promise<Record<string, number>> {
  try {
    const size = await imageSizeFromFile(filePath);
    const turned = (size.orientation ?? 1) >= 5;
    return { width: turned ? size.height : size.width, height: turned ? size.width : size.height };
  } catch {
    return {};
  }
}

const vectorDeps = (ctx: ApiDeps) => ({ ...ctx, storage: ctx.attachments.storage });

/** A memo's attachment list holds this id (JSON_CONTAINS works on MySQL 8 and MariaDB alike). */
export const holdsAttachment = (id: string): SQL =>
  sql`JSON_CONTAINS(${memos.attachmentIds}, JSON_QUOTE(${id}))`;

export async function loadOwnedAttachment(ctx: ApiDeps, uid: string, id: string): Promise<Attachment> {
  const [row] = await ctx.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.uid, uid)))
    .limit(1);
  if (!row) throw notFound("Attachment");
  return row;
}

/** The user's attachment, locked for the rest of the transaction. */
async function lockOwnedAttachment(tx: Executor, uid: string, id: string): Promise<Attachment> {
  const [row] = await tx
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.uid, uid)))
    .for("update");
  if (!row) throw notFound("Attachment");
  return row;
}

/** Images and audio/video play in the page; everything else downloads, so a document never runs as one. */
export const dispositionOf = (mimeType: string): "inline" | "attachment" =>
  /^(image|audio|video)\//.test(mimeType) ? "inline" : "attachment";

export const attachmentService = {
  /**
   * Stores a spooled upload: bytes first, then the row (and its vector work) in one transaction. An import
   * brings the id (when free) and the time the attachment had.
   */
  async create(
    ctx: ApiDeps,
    uid: string,
    upload: SpooledUpload,
    kept: { id?: string; createdAt?: Date } = {},
  ): Promise<AttachmentDto> {
    const settings = ctx.attachments;
    const mimeType = normalizeMimeType(upload.mimeType);
    if (!isMimeTypeAllowed(settings, mimeType)) {
      throw new TRPCError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: `File type ${mimeType} is not allowed`,
      });
    }
    if (upload.size > settings.maxFileSize) {
      throw new TRPCError({
        code: "PAYLOAD_TOO_LARGE",
        message: `File is larger than ${settings.maxFileSize} bytes`,
      });
    }
    const id = kept.id ?? createId("attachment");
    const filename = cleanFilename(upload.filename);
    const createdAt = kept.createdAt ?? new Date();
    const path = storageKey(uid, id, filename, createdAt);
    const properties = mimeType.startsWith("image/") ? await imageProperties(upload.filePath) : {};
    const { location } = settings.storage;
    const row = {
      id,
      uid,
      filename,
      mimeType,
      size: upload.size,
      storageType: location.type,
      path,
      bucket: location.bucket ?? null,
      prefix: location.prefix ?? null,
      endpoint: location.endpoint ?? null,
      region: location.region ?? null,
      isPublicBucket: location.isPublicBucket ?? null,
      properties,
      createdAt,
    };
    await settings.storage.putFile(path, upload.filePath, { contentType: mimeType, size: upload.size });
    try {
      await withTransaction(ctx.db, async (tx) => {
        await tx.insert(attachments).values(row);
        if (ctx.multimodal && isEmbeddableImage(row)) {
          await enqueueVectorWork(tx, [{ uid, target: "attachment", targetId: id, op: "upsert" }]);
        }
      });
    } catch (error) {
      // No row, no file.
      await settings.storage
        .delete(path)
        .catch((e: unknown) => ctx.logger.error({ err: e, path }, "could not remove an unrecorded file"));
      throw error;
    }
    await applyNow(vectorDeps(ctx), attachmentJobs, [id], ctx.config.vectorDeadlineMs);
    return toAttachmentDto({ ...row, multimodalModelHash: null });
  },

  async get(ctx: ApiDeps, uid: string, id: string): Promise<AttachmentDto> {
    return toAttachmentDto(await loadOwnedAttachment(ctx, uid, id));
  },

  /** Edits the file name or the measures a client read from the media; the bytes stay as uploaded. */
  async update(ctx: ApiDeps, uid: string, id: string, patch: AttachmentPatch): Promise<AttachmentDto> {
    return withTransaction(ctx.db, async (tx) => {
      const found = await lockOwnedAttachment(tx, uid, id);
      const media = found.mimeType.split("/")[0];
      if (patch.duration !== undefined && media !== "audio" && media !== "video")
        throw badRequest("Only audio and video have a duration");
      if ((patch.width !== undefined || patch.height !== undefined) && media !== "video")
        throw badRequest("Only a video's size can be set: an image's is read from its bytes");
      const properties = { ...found.properties };
      for (const key of ["duration", "width", "height"] as const) {
        const value = patch[key];
        if (value === null) delete properties[key];
        else if (value !== undefined) properties[key] = value;
      }
      const filename = patch.filename === undefined ? found.filename : cleanFilename(patch.filename);
      await tx.update(attachments).set({ filename, properties }).where(eq(attachments.id, id));
      return toAttachmentDto({ ...found, filename, properties });
    });
  },

  /** Newest first, keyset-paginated. */
  async list(ctx: ApiDeps, uid: string, input: PageInput) {
    const conditions = [eq(attachments.uid, uid)];
    if (input.cursor)
      conditions.push(afterCursor(attachments.createdAt, attachments.id, input.cursor, "desc"));
    const rows = await ctx.db
      .select()
      .from(attachments)
      .where(and(...conditions))
      .orderBy(desc(attachments.createdAt), desc(attachments.id))
      .limit(input.limit + 1);
    const { page, nextCursor } = keysetPage(rows, input.limit, (row) => row.createdAt);
    return { items: page.map(toAttachmentDto), nextCursor };
  },

  /**
   * An expiring link to the bytes, for the owner, or for anyone when a public memo of the owner shows the
   * attachment. Everyone else gets NOT_FOUND, as for a missing id.
   */
  async getUrl(
    ctx: ApiDeps,
    viewerUid: string | null,
    id: string,
  ): Promise<{ url: string; expiresAt?: number }> {
    const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, id)).limit(1);
    if (!row) throw notFound("Attachment");
    if (row.uid !== viewerUid) {
      const [shown] = await ctx.db
        .select({ id: memos.id })
        .from(memos)
        .where(and(eq(memos.uid, row.uid), eq(memos.isPublic, true), holdsAttachment(id)))
        .limit(1);
      if (!shown) throw notFound("Attachment");
    }
    const { storage, urlTtlSeconds, urlSecret, publicBaseUrl } = ctx.attachments;
    if (row.storageType !== storage.location.type) {
      throw new TRPCError({
        code: "PRECONDITION_FAILED",
        message: `This file is in ${row.storageType} storage, which is not configured`,
      });
    }
    const expires = Math.floor(Date.now() / 1000) + urlTtlSeconds;
    const direct = await storage.directUrl(row.path, {
      expiresInSeconds: urlTtlSeconds,
      filename: row.filename,
      contentType: row.mimeType,
      disposition: dispositionOf(row.mimeType),
    });
    if (direct && storage.location.isPublicBucket) return { url: direct };
    const url =
      direct ??
      `${publicBaseUrl ?? ""}/attachments/${encodeURIComponent(id)}?expires=${expires}&sig=${signDownload(urlSecret, id, expires)}`;
    return { url, expiresAt: expires * 1000 };
  },

  /** The attachment a signed download link stands for; a tampered or expired link is FORBIDDEN. */
  async resolveDownload(
    ctx: ApiDeps,
    link: { id: string; expires: string; sig: string },
  ): Promise<Attachment> {
    if (!verifyDownload(ctx.attachments.urlSecret, link.id, link.expires, link.sig)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This link is invalid or has expired" });
    }
    const [row] = await ctx.db.select().from(attachments).where(eq(attachments.id, link.id)).limit(1);
    if (!row) throw notFound("Attachment");
    return row;
  },

  /** Removes the row, its id from the owner's memos and its vector in one transaction; then the file. */
  async delete(ctx: ApiDeps, uid: string, id: string) {
    const row = await withTransaction(ctx.db, async (tx) => {
      const found = await lockOwnedAttachment(tx, uid, id);
      const holders = await tx
        .select({ id: memos.id, attachmentIds: memos.attachmentIds })
        .from(memos)
        .where(and(eq(memos.uid, uid), holdsAttachment(id)))
        .for("update");
      for (const memo of holders) {
        await tx
          .update(memos)
          .set({ attachmentIds: memo.attachmentIds.filter((other) => other !== id) })
          .where(eq(memos.id, memo.id));
      }
      await tx.delete(attachments).where(eq(attachments.id, id));
      await enqueueVectorWork(tx, [{ uid, target: "attachment", targetId: id, op: "delete" }]);
      return found;
    });
    await ctx.attachments.storage
      .delete(row.path)
      .catch((error: unknown) =>
        ctx.logger.error({ err: error, path: row.path }, "could not remove a deleted attachment's file"),
      );
    await applyNow(vectorDeps(ctx), attachmentJobs, [id], ctx.config.vectorDeadlineMs);
    return { ok: true as const };
  },
};

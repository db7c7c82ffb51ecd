import { randomUUID } from "node:crypto";

import type { User } from "@aimo/db";
import { users, withTransaction } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { imageSizeFromFile } from "image-size/fromFile";

import type { ApiDeps } from "../context";
import { notFound } from "../errors";
import type { SpooledUpload } from "./attachments/attachments";
import { signDownload, verifyDownload } from "./attachments/signing";

/** Largest avatar upload. */
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

/** The image kinds an avatar may be, by what image-size reads in the file (its declared type is not trusted). */
const AVATAR_TYPES = { jpg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp" } as const;
type AvatarKind = keyof typeof AVATAR_TYPES;

export const AVATAR_MIME_TYPES: readonly string[] = Object.values(AVATAR_TYPES);

/** Avatars live in the attachment storage under `avatar/<uid>/`; a path elsewhere is never served nor deleted. */
const ownKey = (uid: string, key: string | null): key is string =>
  key !== null && key.startsWith(`avatar/${uid}/`) && !key.split("/").includes("..");

/** Keeps a download link for an avatar apart from one for an attachment, which signs a bare id. */
const signedSubject = (key: string) => `avatar:${key}`;

/** The MIME type of a stored avatar, from its extension (legacy avatars were stored the same way). */
export function avatarMimeType(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  return ext === "jpeg" ? AVATAR_TYPES.jpg : (AVATAR_TYPES[ext as AvatarKind] ?? "application/octet-stream");
}

async function detectKind(filePath: string): Promise<AvatarKind | undefined> {
  try {
    const { type } = await imageSizeFromFile(filePath);
    return type !== undefined && type in AVATAR_TYPES ? (type as AvatarKind) : undefined;
  } catch {
    return undefined;
  }
}

async function removeStored(ctx: ApiDeps, key: string) {
  await ctx.attachments.storage
    .delete(key)
    .catch((error: unknown) => ctx.logger.error({ err: error, key }, "could not remove an avatar file"));
}

/** Sets the avatar column, returning the key it held; the row is locked so concurrent changes queue up. */
async function swapAvatar(ctx: ApiDeps, uid: string, key: string | null): Promise<string | null> {
  return withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .select({ avatar: users.avatar })
      .from(users)
      .where(eq(users.uid, uid))
      .for("update");
    if (!row) throw notFound("User");
    await tx.update(users).set({ avatar: key }).where(eq(users.uid, uid));
    return row.avatar;
  });
}

export const avatarService = {
  /** Stores an uploaded image as the user's avatar, then removes the one it replaces. */
  async set(ctx: ApiDeps, uid: string, upload: SpooledUpload): Promise<{ avatarUrl: string | undefined }> {
    if (upload.size > MAX_AVATAR_BYTES) {
      throw new TRPCError({
        code: "PAYLOAD_TOO_LARGE",
        message: `An avatar is at most ${MAX_AVATAR_BYTES} bytes`,
      });
    }
    const kind = await detectKind(upload.filePath);
    if (!kind) {
      throw new TRPCError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: "An avatar must be a JPEG, PNG, GIF or WebP image",
      });
    }
    const key = `avatar/${uid}/${randomUUID()}.${kind}`;
    await ctx.attachments.storage.putFile(key, upload.filePath, {
      contentType: AVATAR_TYPES[kind],
      size: upload.size,
    });
    let previous: string | null;
    try {
      previous = await swapAvatar(ctx, uid, key);
    } catch (error) {
      await removeStored(ctx, key);
      throw error;
    }
    if (ownKey(uid, previous)) await removeStored(ctx, previous);
    return { avatarUrl: await avatarService.url(ctx, { uid, avatar: key }) };
  },

  async remove(ctx: ApiDeps, uid: string): Promise<void> {
    const previous = await swapAvatar(ctx, uid, null);
    if (ownKey(uid, previous)) await removeStored(ctx, previous);
  },

  /** An expiring link to the user's avatar: presigned or plain for a bucket, else the server's own signed link. */
  async url(ctx: ApiDeps, user: Pick<User, "uid" | "avatar">): Promise<string | undefined> {
    if (!ownKey(user.uid, user.avatar)) return undefined;
    const { storage, urlTtlSeconds, urlSecret, publicBaseUrl } = ctx.attachments;
    const direct = await storage.directUrl(user.avatar, {
      expiresInSeconds: urlTtlSeconds,
      filename: user.avatar.slice(user.avatar.lastIndexOf("/") + 1),
      contentType: avatarMimeType(user.avatar),
      disposition: "inline",
    });
    if (direct) return direct;
    const expires = Math.floor(Date.now() / 1000) + urlTtlSeconds;
    const sig = signDownload(urlSecret, signedSubject(user.avatar), expires);
    return `${publicBaseUrl ?? ""}/avatars/${encodeURIComponent(user.uid)}?expires=${expires}&sig=${sig}`;
  },

  /**
   * The storage key a signed avatar link stands for. The link signs the avatar it was made for, so it stops
   * working once the avatar changes; a tampered, expired or stale link is FORBIDDEN.
   */
  async resolveDownload(ctx: ApiDeps, link: { uid: string; expires: string; sig: string }): Promise<string> {
    const [row] = await ctx.db
      .select({ avatar: users.avatar })
      .from(users)
      .where(eq(users.uid, link.uid))
      .limit(1);
    const key = row?.avatar ?? null;
    if (
      !ownKey(link.uid, key) ||
      !verifyDownload(ctx.attachments.urlSecret, signedSubject(key), link.expires, link.sig)
    ) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This link is invalid or has expired" });
    }
    return key;
  },
};

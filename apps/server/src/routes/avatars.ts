import type http from "node:http";

import type { Context } from "@aimo/api/server";
import {
  AVATAR_MIME_TYPES,
  avatarMimeType,
  avatarService,
  MAX_AVATAR_BYTES,
  normalizeMimeType,
} from "@aimo/api/server";

import { acceptUpload, fileRoute, sendFile, signedLinkOf } from "./files";

const upload = (req: http.IncomingMessage, res: http.ServerResponse, ctx: Context) =>
  acceptUpload(
    req,
    res,
    ctx,
    {
      tmpDir: ctx.attachments.tmpDir,
      maxFileSize: MAX_AVATAR_BYTES,
      accepts: (mimeType) => AVATAR_MIME_TYPES.includes(normalizeMimeType(mimeType)),
    },
    async (user, spooled) => ({ status: 200, body: await avatarService.set(ctx, user.uid, spooled) }),
  );

async function download(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context, uid: string) {
  const link = signedLinkOf(req);
  const key = await avatarService.resolveDownload(ctx, { uid, ...link });
  await sendFile(req, res, {
    stream: await ctx.attachments.storage.read(key),
    status: 200,
    expires: link.expires,
    headers: { "content-type": avatarMimeType(key) },
  });
}

/**
 * `POST /avatars`: a multipart upload of one JPEG, PNG, GIF or WebP image (at most 5 MB) with a bearer token;
 * it becomes the user's avatar and the answer is `{ avatarUrl }`.
 * `GET /avatars/:uid?expires=&sig=`: the image behind the signed `avatarUrl` of `user.get` and `auth.me`.
 */
export const handleAvatarRequest = fileRoute("/avatars", "Avatar", { upload, download });

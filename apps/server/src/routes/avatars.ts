import type http from "node:http";
import { pipeline } from "node:stream/promises";

import type { Context } from "@aimo/api";
import {
  AVATAR_MIME_TYPES,
  avatarMimeType,
  avatarService,
  MAX_AVATAR_BYTES,
  normalizeMimeType,
} from "@aimo/api";

import { acceptUpload, fileRoute, SERVED_FILE_HEADERS } from "./files";

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
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const key = await avatarService.resolveDownload(ctx, {
    uid,
    expires: query.get("expires") ?? "",
    sig: query.get("sig") ?? "",
  });
  const stream = await ctx.attachments.storage.read(key);
  const expiresIn = Math.max(0, Number(query.get("expires")) - Math.floor(Date.now() / 1000));
  res.writeHead(200, {
    "content-type": avatarMimeType(key),
    "cache-control": `private, max-age=${expiresIn}`,
    ...SERVED_FILE_HEADERS,
  });
  if (req.method === "HEAD") {
    stream.destroy();
    return void res.end();
  }
  await pipeline(stream, res);
}

/**
 * `POST /avatars`: a multipart upload of one JPEG, PNG, GIF or WebP image (at most 5 MB) with a bearer token;
 * it becomes the user's avatar and the answer is `{ avatarUrl }`.
 * `GET /avatars/:uid?expires=&sig=`: the image behind the signed `avatarUrl` of `user.get` and `auth.me`.
 */
export const handleAvatarRequest = fileRoute("/avatars", "Avatar", { upload, download });

import type http from "node:http";

import type { Context } from "@aimo/api/server";
import { attachmentService, dispositionOf, isMimeTypeAllowed } from "@aimo/api/server";
import type { ByteRange } from "@aimo/storage";
import { contentDisposition } from "@aimo/storage";

import { acceptUpload, fileRoute, sendFile, signedLinkOf } from "./files";

const upload = (req: http.IncomingMessage, res: http.ServerResponse, ctx: Context) =>
  acceptUpload(
    req,
    res,
    ctx,
    {
      tmpDir: ctx.attachments.tmpDir,
      maxFileSize: ctx.attachments.maxFileSize,
      accepts: (mimeType) => isMimeTypeAllowed(ctx.attachments, mimeType),
    },
    async (user, spooled) => ({ status: 201, body: await attachmentService.create(ctx, user.uid, spooled) }),
  );

/** One `bytes=a-b` range (the only kind players and browsers send); "unsatisfiable" when outside the file. */
function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (!match[1] && !match[2])) return undefined;
  const start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
  const end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return start > end || start >= size ? "unsatisfiable" : { start, end };
}

async function download(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ctx: Context,
  id: string,
): Promise<void> {
  const link = signedLinkOf(req);
  const attachment = await attachmentService.resolveDownload(ctx, { id, ...link });
  const range = parseRange(req.headers.range, attachment.size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { "content-range": `bytes */${attachment.size}` });
    return void res.end();
  }
  await sendFile(req, res, {
    stream: await ctx.attachments.storage.read(attachment.path, range),
    status: range ? 206 : 200,
    expires: link.expires,
    headers: {
      "content-type": attachment.mimeType,
      "content-length": range ? range.end - range.start + 1 : attachment.size,
      ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${attachment.size}` } : {}),
      "accept-ranges": "bytes",
      "content-disposition": contentDisposition(dispositionOf(attachment.mimeType), attachment.filename),
    },
  });
}

/**
 * `POST /attachments`: a multipart upload of one file with a bearer token; answers 201 with the attachment.
 * `GET /attachments/:id?expires=&sig=`: the bytes behind a signed link from `attachment.getUrl`.
 */
export const handleAttachmentRequest = fileRoute("/attachments", "Attachment", { upload, download });

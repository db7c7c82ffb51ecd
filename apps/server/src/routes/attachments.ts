import type http from "node:http";
import { pipeline } from "node:stream/promises";

import type { Context } from "@aimo/api";
import { attachmentService, dispositionOf, isMimeTypeAllowed } from "@aimo/api";
import type { ByteRange } from "@aimo/storage";
import { contentDisposition } from "@aimo/storage";

import { acceptUpload, fileRoute, SERVED_FILE_HEADERS } from "./files";

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
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const attachment = await attachmentService.resolveDownload(ctx, {
    id,
    expires: query.get("expires") ?? "",
    sig: query.get("sig") ?? "",
  });
  const range = parseRange(req.headers.range, attachment.size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { "content-range": `bytes */${attachment.size}` });
    return void res.end();
  }
  const stream = await ctx.attachments.storage.read(attachment.path, range);
  const expiresIn = Math.max(0, Number(query.get("expires")) - Math.floor(Date.now() / 1000));
  res.writeHead(range ? 206 : 200, {
    "content-type": attachment.mimeType,
    "content-length": range ? range.end - range.start + 1 : attachment.size,
    ...(range ? { "content-range": `bytes ${range.start}-${range.end}/${attachment.size}` } : {}),
    "accept-ranges": "bytes",
    "content-disposition": contentDisposition(dispositionOf(attachment.mimeType), attachment.filename),
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
 * `POST /attachments`: a multipart upload of one file with a bearer token; answers 201 with the attachment.
 * `GET /attachments/:id?expires=&sig=`: the bytes behind a signed link from `attachment.getUrl`.
 */
export const handleAttachmentRequest = fileRoute("/attachments", "Attachment", { upload, download });

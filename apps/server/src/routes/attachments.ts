import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type http from "node:http";
import { join } from "node:path";
import { finished } from "node:stream";
import { pipeline } from "node:stream/promises";

import type { AttachmentSettings, Context, SpooledUpload } from "@aimo/api";
import {
  attachmentService,
  dispositionOf,
  isMimeTypeAllowed,
  normalizeMimeType,
  toTRPCError,
} from "@aimo/api";
import type { ByteRange } from "@aimo/storage";
import { contentDisposition, ObjectNotFoundError } from "@aimo/storage";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import busboy from "busboy";

/** Multipart framing around the file; a declared body beyond the limit plus this is refused unread. */
const MULTIPART_OVERHEAD = 64 * 1024;

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Errors as `{ error: { code, message } }` with the status tRPC would give the same code. */
function sendError(res: http.ServerResponse, error: TRPCError, headers?: http.OutgoingHttpHeaders): void {
  sendJson(
    res,
    getHTTPStatusCodeFromError(error),
    { error: { code: error.code, message: error.message } },
    headers,
  );
}

type Received = { upload: SpooledUpload } | { error: TRPCError };

/**
 * Streams the request's one file part to a spool file, enforcing the size limit and the MIME list as it
 * arrives. Resolves once the whole body was read; on refusal the partial file is already gone.
 */
function receiveFile(req: http.IncomingMessage, settings: AttachmentSettings): Promise<Received> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        limits: { fileSize: settings.maxFileSize, files: 1, fields: 20, fieldSize: 1024, parts: 21 },
      });
    } catch {
      req.resume();
      return resolve({
        error: new TRPCError({ code: "BAD_REQUEST", message: "Expected a multipart/form-data body" }),
      });
    }
    let error: TRPCError | undefined;
    let upload: SpooledUpload | undefined;
    let spooling: Promise<void> = Promise.resolve();
    const fail = (code: TRPCError["code"], message: string) => (error ??= new TRPCError({ code, message }));

    parser.on("file", (_field, stream, info) => {
      const mimeType = normalizeMimeType(info.mimeType);
      if (!isMimeTypeAllowed(settings, mimeType)) {
        fail("UNSUPPORTED_MEDIA_TYPE", `File type ${mimeType} is not allowed`);
        return stream.resume();
      }
      const filePath = join(settings.tmpDir, `aimo-upload-${randomUUID()}`);
      const file = createWriteStream(filePath, { flags: "wx" });
      spooling = pipeline(stream, file)
        .then(() => {
          if (stream.truncated)
            fail("PAYLOAD_TOO_LARGE", `File is larger than ${settings.maxFileSize} bytes`);
          else if (file.bytesWritten === 0) fail("BAD_REQUEST", "The file is empty");
          else upload = { filePath, filename: info.filename ?? "", mimeType, size: file.bytesWritten };
        })
        .catch(() => {
          stream.resume();
          fail("BAD_REQUEST", "The upload was cut off");
        })
        .then(async () => {
          if (error) await rm(filePath, { force: true });
        });
    });
    parser.on("filesLimit", () => fail("BAD_REQUEST", "Send one file per request"));
    parser.on("error", () => {
      fail("BAD_REQUEST", "Malformed multipart/form-data body");
      req.unpipe(parser);
      req.resume();
      void finish();
    });
    parser.on("close", () => void finish());
    let settled = false;
    const finish = async () => {
      if (settled) return;
      settled = true;
      await spooling;
      if (error && upload) await rm(upload.filePath, { force: true });
      resolve(
        error
          ? { error }
          : upload
            ? { upload }
            : { error: new TRPCError({ code: "BAD_REQUEST", message: "No file in the request" }) },
      );
    };
    // A client that hangs up mid-body: busboy is never told, so the file stream would wait forever, its spool
    // file open. Destroying the parser fails the file stream, which closes and removes the spool file.
    finished(req, (cutOff) => {
      if (!cutOff) return;
      fail("BAD_REQUEST", "The upload was cut off");
      parser.destroy(cutOff);
    });
    req.pipe(parser);
  });
}

async function upload(req: http.IncomingMessage, res: http.ServerResponse, ctx: Context): Promise<void> {
  // Refused before reading: the connection closes instead of draining a body nobody will keep.
  if (!ctx.user) {
    const error = new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" });
    return sendError(res, error, { connection: "close" });
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > ctx.attachments.maxFileSize + MULTIPART_OVERHEAD) {
    return sendError(
      res,
      new TRPCError({
        code: "PAYLOAD_TOO_LARGE",
        message: `File is larger than ${ctx.attachments.maxFileSize} bytes`,
      }),
      { connection: "close" },
    );
  }
  await mkdir(ctx.attachments.tmpDir, { recursive: true });
  const received = await receiveFile(req, ctx.attachments);
  if ("error" in received) return sendError(res, received.error);
  try {
    sendJson(res, 201, await attachmentService.create(ctx, ctx.user.uid, received.upload));
  } finally {
    // Moved into storage, or not wanted: either way the spool file goes.
    await rm(received.upload.filePath, { force: true });
  }
}

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
    // Served from the API's origin: never sniffed into something else, never run as a page.
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (req.method === "HEAD") {
    stream.destroy();
    return void res.end();
  }
  await pipeline(stream, res);
}

/** The `:id` of `/attachments/:id`; malformed percent-encoding is the client's error. */
function decodeId(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Malformed percent-encoding in the path" });
  }
}

/**
 * `POST /attachments`: a multipart upload of one file with a bearer token; answers 201 with the attachment.
 * `GET /attachments/:id?expires=&sig=`: the bytes behind a signed link from `attachment.getUrl`.
 */
export async function handleAttachmentRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  createContext: () => Promise<Context>,
): Promise<void> {
  const path = (req.url ?? "/").split("?")[0]!;
  const idPart = path.startsWith("/attachments/") ? path.slice("/attachments/".length) : undefined;
  const allowed = idPart === undefined ? "POST" : "GET, HEAD";
  if (!allowed.split(", ").includes(req.method ?? "")) {
    return sendError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `Use ${allowed}` }), {
      allow: allowed,
    });
  }
  let ctx: Context | undefined;
  try {
    const id = idPart === undefined ? undefined : decodeId(idPart);
    ctx = await createContext();
    await (id === undefined ? upload(req, res, ctx) : download(req, res, ctx, id));
  } catch (error) {
    if (res.headersSent) {
      ctx?.logger.warn({ err: error }, "attachment response cut off");
      return void res.destroy();
    }
    const mapped =
      error instanceof ObjectNotFoundError
        ? new TRPCError({ code: "NOT_FOUND", message: "Attachment not found" })
        : toTRPCError(error);
    if (mapped.code === "INTERNAL_SERVER_ERROR")
      ctx?.logger.error({ err: error }, "attachment request failed");
    sendError(res, mapped);
  }
}

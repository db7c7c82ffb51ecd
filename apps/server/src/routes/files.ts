import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import type http from "node:http";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { finished } from "node:stream";
import { pipeline } from "node:stream/promises";

import type { AuthUser, Context, SpooledUpload } from "@aimo/api/server";
import { normalizeMimeType, toTRPCError } from "@aimo/api/server";
import { ObjectNotFoundError } from "@aimo/storage";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import busboy from "busboy";

/** Multipart framing around the file; a declared body beyond the limit plus this is refused unread. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** What one upload route takes: a size and a test of the declared MIME type. */
export interface UploadLimits {
  tmpDir: string;
  maxFileSize: number;
  accepts: (mimeType: string) => boolean;
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Errors as `{ error: { code, message } }` with the status tRPC would give the same code. */
export function sendError(
  res: http.ServerResponse,
  error: TRPCError,
  headers?: http.OutgoingHttpHeaders,
): void {
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
function receiveFile(req: http.IncomingMessage, limits: UploadLimits): Promise<Received> {
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: "utf8",
        limits: { fileSize: limits.maxFileSize, files: 1, fields: 20, fieldSize: 1024, parts: 21 },
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
      if (!limits.accepts(mimeType)) {
        fail("UNSUPPORTED_MEDIA_TYPE", `File type ${mimeType} is not allowed`);
        return stream.resume();
      }
      const filePath = join(limits.tmpDir, `aimo-upload-${randomUUID()}`);
      const file = createWriteStream(filePath, { flags: "wx" });
      spooling = pipeline(stream, file)
        .then(() => {
          if (stream.truncated) fail("PAYLOAD_TOO_LARGE", `File is larger than ${limits.maxFileSize} bytes`);
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

/**
 * An authenticated multipart upload of one file: spooled to `limits.tmpDir`, handed to `store`, answered with
 * what `store` returns, and its spool file removed whatever happens. Refusals before the body is read (no
 * token, a declared size over the limit) close the connection rather than drain it (see unread-body.ts).
 */
export async function acceptUpload(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ctx: Context,
  limits: UploadLimits,
  store: (user: AuthUser, upload: SpooledUpload) => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  if (!ctx.user) {
    return sendError(
      res,
      new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" }),
    );
  }
  if (Number(req.headers["content-length"] ?? 0) > limits.maxFileSize + MULTIPART_OVERHEAD) {
    return sendError(
      res,
      new TRPCError({
        code: "PAYLOAD_TOO_LARGE",
        message: `File is larger than ${limits.maxFileSize} bytes`,
      }),
    );
  }
  await mkdir(limits.tmpDir, { recursive: true });
  const received = await receiveFile(req, limits);
  if ("error" in received) return sendError(res, received.error);
  try {
    const { status, body } = await store(ctx.user, received.upload);
    sendJson(res, status, body);
  } finally {
    // Moved into storage, or not wanted: either way the spool file goes.
    await rm(received.upload.filePath, { force: true });
  }
}

/** `expires` and `sig` of a signed download link. */
export function signedLinkOf(req: http.IncomingMessage): { expires: string; sig: string } {
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  return { expires: query.get("expires") ?? "", sig: query.get("sig") ?? "" };
}

/**
 * Sends a stored file behind a signed link: its own headers, cacheable until the link expires, never sniffed
 * into something else and never run as a page (it is served from the API's origin). HEAD sends no bytes.
 */
export async function sendFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: { stream: Readable; status: number; expires: string; headers: http.OutgoingHttpHeaders },
): Promise<void> {
  const expiresIn = Math.max(0, Number(file.expires) - Math.floor(Date.now() / 1000));
  res.writeHead(file.status, {
    ...file.headers,
    "cache-control": `private, max-age=${expiresIn}`,
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
  });
  if (req.method === "HEAD") {
    file.stream.destroy();
    return void res.end();
  }
  await pipeline(file.stream, res);
}

/** A path segment; malformed percent-encoding is the client's error. */
export function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Malformed percent-encoding in the path" });
  }
}

/**
 * A route of files under `base`: `POST base` uploads, `GET|HEAD base/:key` downloads. Checks the method, builds
 * the context, and maps what fails to a JSON error (a missing object is NOT_FOUND as `what`).
 */
export function fileRoute(
  base: string,
  what: string,
  handlers: {
    upload: (req: http.IncomingMessage, res: http.ServerResponse, ctx: Context) => Promise<void>;
    download: (
      req: http.IncomingMessage,
      res: http.ServerResponse,
      ctx: Context,
      key: string,
    ) => Promise<void>;
  },
) {
  return async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    createContext: () => Promise<Context>,
  ): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0]!;
    const keyPart = path.startsWith(`${base}/`) ? path.slice(base.length + 1) : undefined;
    const allowed = keyPart === undefined ? "POST" : "GET, HEAD";
    if (!allowed.split(", ").includes(req.method ?? "")) {
      return sendError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: `Use ${allowed}` }), {
        allow: allowed,
      });
    }
    let ctx: Context | undefined;
    try {
      const key = keyPart === undefined ? undefined : decodeSegment(keyPart);
      ctx = await createContext();
      await (key === undefined ? handlers.upload(req, res, ctx) : handlers.download(req, res, ctx, key));
    } catch (error) {
      if (res.headersSent) {
        ctx?.logger.warn({ err: error, base }, "file response cut off");
        return void res.destroy();
      }
      const mapped =
        error instanceof ObjectNotFoundError
          ? new TRPCError({ code: "NOT_FOUND", message: `${what} not found` })
          : toTRPCError(error);
      if (mapped.code === "INTERNAL_SERVER_ERROR")
        ctx?.logger.error({ err: error, base }, "file request failed");
      sendError(res, mapped);
    }
  };
}

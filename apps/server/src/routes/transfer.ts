import type http from "node:http";
import { pipeline } from "node:stream/promises";

import type { Context } from "@aimo/api/server";
import { resolveExportLink, toTRPCError } from "@aimo/api/server";
import { exportArchive, ImportInputError, importUpload, readSession } from "@aimo/transfer";
import { TRPCError } from "@trpc/server";

import { acceptUpload, fileRoute, sendError, sendJson } from "./files";

const unauthorized = () =>
  new TRPCError({ code: "UNAUTHORIZED", message: "A valid bearer token is required" });

/**
 * `GET /export`: everything the caller owns as one zip, streamed. With a bearer token (access or personal API
 * token), or with the signed `?user=&expires=&sig=` link of `transfer.exportLink`.
 */
export async function handleExportRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  createContext: () => Promise<Context>,
): Promise<void> {
  if (req.method !== "GET") {
    return sendError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "Use GET" }), {
      allow: "GET",
    });
  }
  let ctx: Context | undefined;
  try {
    ctx = await createContext();
    const query = new URL(req.url ?? "/", "http://localhost").searchParams;
    const uid = query.has("sig")
      ? resolveExportLink(ctx, {
          user: query.get("user") ?? "",
          expires: query.get("expires") ?? "",
          sig: query.get("sig") ?? "",
        })
      : ctx.user?.uid;
    if (!uid) return sendError(res, unauthorized());
    res.writeHead(200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="aimo-export-${new Date().toISOString().slice(0, 10)}.zip"`,
      "cache-control": "no-store",
    });
    await pipeline(exportArchive({ db: ctx.db, storage: ctx.attachments.storage }, uid), res);
  } catch (error) {
    if (res.headersSent) {
      ctx?.logger.warn({ err: error }, "export cut off");
      return void res.destroy();
    }
    const mapped = toTRPCError(error);
    if (mapped.code === "INTERNAL_SERVER_ERROR") ctx?.logger.error({ err: error }, "export failed");
    sendError(res, mapped);
  }
}

/**
 * `POST /import`: a multipart upload of one file (a zip, or a Markdown, HTML or JSON file) with a bearer token;
 * answers 200 with the report. `GET /import/:id`: the progress and report of an import of the caller's.
 */
export function importRoute(maxUploadBytes: number) {
  return fileRoute("/import", "Import", {
    upload: (req, res, ctx) =>
      acceptUpload(
        req,
        res,
        ctx,
        { tmpDir: ctx.attachments.tmpDir, maxFileSize: maxUploadBytes, accepts: () => true },
        async (user, spooled) => {
          try {
            return { status: 200, body: await importUpload(ctx, user.uid, { ...spooled, maxUploadBytes }) };
          } catch (error) {
            if (error instanceof ImportInputError)
              throw new TRPCError({ code: "BAD_REQUEST", message: error.message });
            throw error;
          }
        },
      ),
    download: async (_req, res, ctx, id) => {
      if (!ctx.user) return sendError(res, unauthorized());
      sendJson(res, 200, await readSession(ctx.db, ctx.user.uid, id));
    },
  });
}

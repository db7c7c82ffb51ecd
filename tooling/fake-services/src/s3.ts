import { listen, readBody } from "./listen";

interface StoredObject {
  body: Buffer;
  contentType: string;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/**
 * An S3-compatible object store on 127.0.0.1, path-style (`/<bucket>/<key>`): PUT, GET (with Range), HEAD
 * and DELETE of objects. Requests must be signed (an Authorization header or a presigned query).
 */
export async function startFakeS3() {
  const objects = new Map<string, StoredObject>();
  const requests: { method: string; path: string; query: URLSearchParams }[] = [];

  const running = await listen(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = decodeURIComponent(url.pathname).slice(1);
    requests.push({ method: req.method ?? "", path, query: url.searchParams });
    const body = await readBody(req);
    const signed =
      req.headers.authorization?.startsWith("AWS4-HMAC-SHA256") || url.searchParams.has("X-Amz-Signature");
    const fail = (status: number, code: string, message: string) => {
      res.writeHead(status, { "content-type": "application/xml" });
      res.end(req.method === "HEAD" ? undefined : xmlError(code, message));
    };
    if (!signed) return fail(403, "AccessDenied", "unsigned request");
    const found = objects.get(path);
    switch (req.method) {
      case "PUT":
        objects.set(path, { body, contentType: req.headers["content-type"] ?? "application/octet-stream" });
        res.writeHead(200, { etag: '"fake"' });
        return res.end();
      case "DELETE":
        objects.delete(path);
        res.writeHead(204);
        return res.end();
      case "HEAD":
      case "GET": {
        if (!found) return fail(404, "NoSuchKey", "The specified key does not exist.");
        const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? "");
        const part = range ? found.body.subarray(Number(range[1]), Number(range[2]) + 1) : found.body;
        res.writeHead(range ? 206 : 200, {
          "content-type": url.searchParams.get("response-content-type") ?? found.contentType,
          "content-length": part.length,
          ...(range ? { "content-range": `bytes ${range[1]}-${range[2]}/${found.body.length}` } : {}),
        });
        return res.end(req.method === "HEAD" ? undefined : part);
      }
      default:
        return fail(405, "MethodNotAllowed", "method not allowed");
    }
  });
  return { url: running.origin, objects, requests, close: running.close };
}

export type FakeS3 = Awaited<ReturnType<typeof startFakeS3>>;

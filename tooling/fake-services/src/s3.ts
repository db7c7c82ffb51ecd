import { randomUUID } from "node:crypto";

import { listen, readBody } from "./listen";

interface StoredObject {
  body: Buffer;
  contentType: string;
}

const xmlError = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

const xmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** ListObjectsV2 of `/<bucket>?list-type=2`: keys under `prefix`, grouped at `delimiter`, in one page. */
function listObjects(objects: Map<string, StoredObject>, bucket: string, query: URLSearchParams): string {
  const prefix = query.get("prefix") ?? "";
  const delimiter = query.get("delimiter");
  const startAfter = query.get("start-after") ?? "";
  const contents: string[] = [];
  const prefixes = new Set<string>();
  for (const [path, object] of [...objects].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = path.slice(bucket.length + 1);
    if (!path.startsWith(`${bucket}/`) || !key.startsWith(prefix) || key <= startAfter) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) prefixes.add(key.slice(0, cut + delimiter!.length));
    else
      contents.push(
        `<Contents><Key>${xmlText(key)}</Key><LastModified>${new Date().toISOString()}</LastModified><ETag>"fake"</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      );
  }
  const common = [...prefixes].map((p) => `<CommonPrefixes><Prefix>${xmlText(p)}</Prefix></CommonPrefixes>`);
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${xmlText(prefix)}</Prefix><KeyCount>${contents.length + common.length}</KeyCount><IsTruncated>false</IsTruncated>${contents.join("")}${common.join("")}</ListBucketResult>`;
}

/**
 * An S3-compatible object store on 127.0.0.1, path-style (`/<bucket>/<key>`): PUT (with `If-None-Match: *`),
 * GET (with Range), HEAD and DELETE of objects, multipart uploads, ListObjectsV2, DeleteObjects and HeadBucket.
 * Requests must be signed (an Authorization header or a presigned query). Every bucket exists unless `buckets`
 * names those that do: a request to any other answers 404 NoSuchBucket, as S3 does.
 */
export async function startFakeS3({ buckets }: { buckets?: string[] } = {}) {
  const objects = new Map<string, StoredObject>();
  /** Multipart uploads under way, by upload id: the object's path, its type and the parts so far. */
  const uploads = new Map<string, { path: string; contentType: string; parts: Map<number, Buffer> }>();
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
    const [bucket = "", key = ""] = path.split(/\/(.*)/s);
    if (buckets && !buckets.includes(bucket))
      return fail(404, "NoSuchBucket", "The specified bucket does not exist");
    const found = objects.get(path);
    const uploadId = url.searchParams.get("uploadId");
    const upload = uploadId === null ? undefined : uploads.get(uploadId);
    if (uploadId !== null && upload?.path !== path)
      return fail(404, "NoSuchUpload", "The specified upload does not exist.");
    switch (req.method) {
      case "PUT":
        if (upload) {
          upload.parts.set(Number(url.searchParams.get("partNumber")), body);
          res.writeHead(200, { etag: `"part-${url.searchParams.get("partNumber")}"` });
          return res.end();
        }
        // A conditional create (LanceDB commits a table version this way): the second writer loses.
        if (req.headers["if-none-match"] === "*" && found) {
          return fail(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
          );
        }
        objects.set(path, { body, contentType: req.headers["content-type"] ?? "application/octet-stream" });
        res.writeHead(200, { etag: '"fake"' });
        return res.end();
      case "POST": {
        if (url.searchParams.has("uploads")) {
          const id = randomUUID();
          uploads.set(id, {
            path,
            contentType: req.headers["content-type"] ?? "application/octet-stream",
            parts: new Map(),
          });
          res.writeHead(200, { "content-type": "application/xml" });
          return res.end(
            `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${path.split("/")[0]}</Bucket><Key>${xmlText(path.slice(path.indexOf("/") + 1))}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
          );
        }
        if (upload) {
          // CompleteMultipartUpload: the parts named in the body, in that order, become the object.
          const numbers = [...body.toString().matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) =>
            Number(m[1]),
          );
          if (numbers.length === 0 || numbers.some((n) => !upload.parts.has(n)))
            return fail(400, "InvalidPart", "One or more of the specified parts could not be found.");
          objects.set(path, {
            body: Buffer.concat(numbers.map((n) => upload.parts.get(n)!)),
            contentType: upload.contentType,
          });
          uploads.delete(uploadId!);
          res.writeHead(200, { "content-type": "application/xml" });
          return res.end(
            `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Key>${xmlText(path.slice(path.indexOf("/") + 1))}</Key><ETag>"fake"</ETag></CompleteMultipartUploadResult>`,
          );
        }
        // DeleteObjects (`POST /<bucket>?delete`), which LanceDB's version cleanup sends.
        if (!url.searchParams.has("delete")) return fail(405, "MethodNotAllowed", "method not allowed");
        const keys = [...body.toString().matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
        for (const key of keys) objects.delete(`${path}/${key}`);
        res.writeHead(200, { "content-type": "application/xml" });
        return res.end(
          `<?xml version="1.0" encoding="UTF-8"?><DeleteResult>${keys.map((key) => `<Deleted><Key>${key}</Key></Deleted>`).join("")}</DeleteResult>`,
        );
      }
      case "DELETE":
        if (upload) uploads.delete(uploadId!);
        else objects.delete(path);
        res.writeHead(204);
        return res.end();
      case "HEAD":
      case "GET": {
        if (req.method === "HEAD" && !key) {
          // HeadBucket: the bucket exists (a missing one answered above).
          res.writeHead(200);
          return res.end();
        }
        if (req.method === "GET" && url.searchParams.get("list-type") === "2") {
          res.writeHead(200, { "content-type": "application/xml" });
          return res.end(listObjects(objects, path.replace(/\/$/, ""), url.searchParams));
        }
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
  return { url: running.origin, objects, uploads, requests, close: running.close };
}

export type FakeS3 = Awaited<ReturnType<typeof startFakeS3>>;

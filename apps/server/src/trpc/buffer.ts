import type http from "node:http";

/** Whether the client asked for a streamed answer (httpBatchStreamLink, subscriptions): those must not wait. */
export const wantsStream = (req: http.IncomingMessage) =>
  req.headers["trpc-accept"] === "application/jsonl" ||
  (req.headers.accept ?? "").includes("text/event-stream");

/**
 * Collects a response body and sends it once, with a Content-Length. tRPC's adapter writes a small answer as a
 * chunked stream, a write per piece; for the usual one-piece JSON answer that is most of the cost of a request.
 */
export function bufferResponse(res: http.ServerResponse): void {
  const chunks: Buffer[] = [];
  const toBuffer = (chunk: unknown, encoding?: unknown): Buffer => {
    if (typeof chunk === "string")
      return Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
    return Buffer.from(chunk as Uint8Array);
  };
  const end = res.end.bind(res) as (chunk: Buffer, callback?: () => void) => http.ServerResponse;
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    chunks.push(toBuffer(chunk, encoding));
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") queueMicrotask(done as () => void);
    return true;
  }) as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== "function")
      chunks.push(toBuffer(chunk, encoding));
    const body = Buffer.concat(chunks);
    if (!res.headersSent) res.setHeader("content-length", body.length);
    const done = [chunk, encoding, callback].find((arg) => typeof arg === "function") as
      (() => void) | undefined;
    return end(body, done);
  }) as typeof res.end;
}

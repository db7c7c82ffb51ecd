import { readdir } from "node:fs/promises";
import { join } from "node:path";

import { createAimoClient, uploadAttachment } from "@aimo/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { RunningServer } from "../src/app";

import { chunks, rawRequest } from "./raw-http";
import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";

const MB = 1024 * 1024;
/** MAX_REQUEST_BODY's default. */
const LIMIT = 4 * MB;

let running: TestServer;
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  running = await startTestServer("server_request_limits", {
    ATTACHMENT_MAX_FILE_SIZE: "10MB",
  });
  ({ server, dir } = running);
});
afterAll(() => running.close());

const postHead = (path: string, headers: string) =>
  `POST ${path} HTTP/1.1\r\nHost: aimo.test\r\nContent-Type: application/json\r\n${headers}\r\n`;

async function signUp(email: string) {
  const anonymous = createAimoClient({ url: server.url });
  return (await anonymous.auth.register.mutate({ email, password: "limits password" })).token;
}

describe("MAX_REQUEST_BODY on /trpc", () => {
  it("answers 413 to a declared 50 MB body before any of it is sent, with or without a token, and closes", async () => {
    for (const auth of ["", "Authorization: Bearer forged\r\n"]) {
      const exchange = await rawRequest(
        server.url,
        postHead("/trpc/memo.create", `${auth}Content-Length: ${50 * MB}\r\n`),
        [],
        { untilClosed: true },
      );
      expect(exchange).toMatchObject({ status: 413, sent: 0, closedByServer: true });
      expect(exchange.response).toContain('"code":"PAYLOAD_TOO_LARGE"');
    }
  });

  it("answers a chunked body as soon as it passes the limit (or earlier when refused) and stops reading it", async () => {
    const token = await signUp("chunked@example.test");
    const cases = [
      { head: "/trpc/auth.login", auth: "", status: 413 },
      { head: "/trpc/memo.create", auth: `Authorization: Bearer ${token}\r\n`, status: 413 },
      // A protected procedure refuses a missing token before reading the body, and still reads no more of it.
      { head: "/trpc/memo.create", auth: "", status: 401 },
    ];
    for (const { head, auth, status } of cases) {
      const exchange = await rawRequest(
        server.url,
        postHead(head, `${auth}Transfer-Encoding: chunked\r\n`),
        chunks(64 * 1024, (64 * MB) / (64 * 1024)),
        { chunked: true, untilClosed: true },
      );
      expect(exchange).toMatchObject({ status, closedByServer: true });
      // Answered while the client was still sending, half-way at most (the rest is in socket buffers).
      expect(exchange.sent).toBeLessThan(32 * MB);
    }
  });

  it("still takes a 1 MB memo whose JSON escaping doubles it", async () => {
    const token = await signUp("limits@example.test");
    const client = createAimoClient({ url: server.url, token });
    const content = '"\n'.repeat(MB / 2);
    expect(JSON.stringify(content).length).toBeGreaterThan(2 * MB);
    expect(JSON.stringify(content).length).toBeLessThan(LIMIT);
    const memo = await client.memo.create.mutate({ content });
    expect(memo.content).toBe(content);
  });
});

/** Open file descriptors of this process (the server runs in it); null where /proc is not there. */
async function openDescriptors(): Promise<number | null> {
  if (process.platform !== "linux") return null;
  return (await readdir("/proc/self/fd")).length;
}

describe("aborted uploads", () => {
  it("leave no spool file and no open descriptor behind", async () => {
    const token = await signUp("aborts@example.test");
    const spool = join(dir, "spool");
    // Warm up: the first upload opens what later ones reuse (pool connection, storage directories).
    await uploadAttachment({ url: server.url, token }, new Blob(["warm"], { type: "text/plain" }), "a.txt");
    const baseline = await openDescriptors();

    const boundary = "----aimo-abort";
    const preamble = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/zip\r\n\r\n`;
    const head =
      `POST /attachments HTTP/1.1\r\nHost: aimo.test\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${MB}\r\n\r\n${preamble}`;
    for (let i = 0; i < 20; i++) {
      const exchange = await rawRequest(server.url, head, chunks(10 * 1024, 10), { hangUp: true });
      expect(exchange).toMatchObject({ status: null, sent: 100 * 1024 });
    }

    // Cleanup follows the hang-ups asynchronously: poll for it, within a bound.
    await vi.waitFor(
      async () => {
        expect(await readdir(spool)).toEqual([]);
        if (baseline !== null) expect(await openDescriptors()).toBeLessThanOrEqual(baseline);
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});

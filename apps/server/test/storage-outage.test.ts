import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { createAimoClient, uploadAttachment } from "@aimo/client";
import { startFakeS3 } from "@aimo/fake-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TestServer } from "./server-env";
import { readyz, startTestServer } from "./server-env";

let running: TestServer;

beforeAll(async () => {
  running = await startTestServer("server_storage_outage");
});
afterAll(async () => {
  await running.close();
});

describe("unusable attachment storage", () => {
  it("leaves the server ready but degraded, names storage in /readyz, refuses uploads with a clear error, and keeps memos working", async () => {
    const { token } = await createAimoClient({ url: running.server.url }).auth.register.mutate({
      email: "storage-outage@example.test",
      password: "outage password",
    });
    const api = createAimoClient({ url: running.server.url, token });
    expect((await readyz(running.server)).body).toEqual({
      status: "ready",
      dependencies: { mysql: { state: "ok" }, lancedb: { state: "ok" }, storage: { state: "ok" } },
    });

    // A file where the attachment directory was: every storage call now fails.
    const location = join(running.dir, "files");
    await rm(location, { recursive: true, force: true });
    await writeFile(location, "not a directory");

    const ready = await readyz(running.server);
    expect(ready).toMatchObject({
      status: 200,
      body: {
        status: "degraded",
        dependencies: { mysql: { state: "ok" }, lancedb: { state: "ok" }, storage: { state: "unavailable" } },
      },
    });
    expect(JSON.stringify(ready.body.dependencies.storage)).toMatch(/"reason":".*ENOTDIR/);

    const upload = uploadAttachment(
      { url: running.server.url, token },
      new Blob(["a note"], { type: "text/plain" }),
      "note.txt",
    );
    await expect(upload).rejects.toThrow("Attachment storage is not answering; try again shortly");

    const memo = await api.memo.create.mutate({ content: "written while storage was away" });
    expect((await api.memo.get.query({ id: memo.id })).content).toBe("written while storage was away");
  });
});

describe("an S3 bucket that does not exist", () => {
  it("leaves the server degraded, with /readyz naming the bucket within its 2 s", async () => {
    const s3 = await startFakeS3({ buckets: ["other-bucket"] });
    const missing = await startTestServer("server_storage_no_bucket", {
      ATTACHMENT_STORAGE: "s3",
      ATTACHMENT_S3_BUCKET: "memos",
      ATTACHMENT_S3_ENDPOINT: s3.url,
      ATTACHMENT_S3_ACCESS_KEY_ID: "AKIDTEST",
      ATTACHMENT_S3_SECRET_ACCESS_KEY: "secret",
    });
    try {
      const started = performance.now();
      expect(await readyz(missing.server)).toEqual({
        status: 200,
        body: {
          status: "degraded",
          dependencies: {
            mysql: { state: "ok" },
            lancedb: { state: "ok" },
            storage: {
              state: "unavailable",
              reason: "attachment storage failed: bucket memos does not exist",
            },
          },
        },
      });
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await missing.close();
      await s3.close();
    }
  });
});

import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";

import { parseEnv } from "@aimo/env";
import type { FakeS3 } from "@aimo/fake-services";
import { startFakeS3 } from "@aimo/fake-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { ObjectStorage } from "../src";
import {
  contentDisposition,
  createLocalStorage,
  createS3Storage,
  createStorageFromEnv,
  ObjectNotFoundError,
  storageEnvSchema,
} from "../src";

let dir: string;
let s3: FakeS3;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aimo-storage-"));
  s3 = await startFakeS3();
});
afterAll(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

async function spool(content: string) {
  const path = join(dir, `spool-${Math.random().toString(36).slice(2)}`);
  await writeFile(path, content);
  return path;
}

/** What every adapter must do the same way. */
async function exerciseContract(storage: ObjectStorage) {
  const key = "u1/2026-11-24/a1.txt";
  await storage.putFile(key, await spool("hello, 世界"), {
    contentType: "text/plain",
    size: Buffer.byteLength("hello, 世界"),
  });
  expect(await storage.exists(key)).toBe(true);
  expect((await buffer(await storage.read(key))).toString()).toBe("hello, 世界");
  expect((await buffer(await storage.read(key, { start: 7, end: 9 }))).toString()).toBe("世");
  await storage.delete(key);
  await storage.delete(key);
  expect(await storage.exists(key)).toBe(false);
  await expect(storage.read(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
  for (const bad of ["../escape.txt", "/abs.txt", "u1//x", "u1/./x", ""]) {
    await expect(
      storage.putFile(bad, await spool("x"), { contentType: "text/plain", size: 1 }),
    ).rejects.toThrow(/unsafe storage key/);
  }
}

/** `mebibytes` MiB of bytes that differ by position, a MiB at a time, as a stream of unknown length. */
function generated(mebibytes: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < mebibytes; i++) yield Buffer.alloc(1024 * 1024, i % 251);
    })(),
  );
}

/** Streamed writes and listing, the same way in every adapter. */
async function exerciseStreams(storage: ObjectStorage) {
  await storage.putStream("b1/big.bin", generated(17), { contentType: "application/octet-stream" });
  const big = await buffer(await storage.read("b1/big.bin"));
  expect(big.length).toBe(17 * 1024 * 1024);
  expect([big[0], big[5 * 1024 * 1024], big.at(-1)]).toEqual([0, 5, 16]);
  await storage.putStream("b1/a.zip", Readable.from([Buffer.from("zip bytes")]), {
    contentType: "application/zip",
  });
  await storage.putStream("b1/empty", Readable.from([]), { contentType: "text/plain" });
  await storage.putStream("b1/sub/c.txt", Readable.from([Buffer.from("below")]), {
    contentType: "text/plain",
  });
  expect((await buffer(await storage.read("b1/empty"))).length).toBe(0);

  const broken = Readable.from(
    (async function* () {
      yield Buffer.alloc(1024, 1);
      throw new Error("the export failed");
    })(),
  );
  await expect(
    storage.putStream("b1/broken.zip", broken, { contentType: "application/zip" }),
  ).rejects.toThrow("the export failed");
  expect(await storage.exists("b1/broken.zip")).toBe(false);
  // A stream that cannot be stored is destroyed, so whatever produces it stops.
  const refused = generated(1);
  await expect(storage.putStream("../b1.zip", refused, { contentType: "application/zip" })).rejects.toThrow(
    /unsafe storage key/,
  );
  expect(refused.destroyed).toBe(true);
  expect(await storage.list("b1")).toEqual(["b1/a.zip", "b1/big.bin", "b1/empty"]);
  expect(await storage.list("nobody")).toEqual([]);
  for (const key of await storage.list("b1")) await storage.delete(key);
  expect(await storage.list("b1")).toEqual([]);
}

describe("local directory storage", () => {
  it("moves spooled files in, reads whole or ranged, deletes idempotently, and stays inside its root", async () => {
    const root = join(dir, "local");
    const storage = createLocalStorage(root);
    await exerciseContract(storage);
    expect(
      await storage.directUrl("u1/x", {
        expiresInSeconds: 60,
        filename: "x",
        contentType: "text/plain",
        disposition: "inline",
      }),
    ).toBeNull();
    expect(await readdir(dir)).not.toContain("escape.txt");
  });

  it("streams objects in under a temporary name, renamed when whole, and lists a folder's files", async () => {
    const root = join(dir, "streams");
    const storage = createLocalStorage(root);
    await exerciseStreams(storage);
    expect(await readdir(join(root, "b1"))).toEqual(["sub"]);
  });

  it("checks its directory: absent until the first upload is fine, a file in its place is not", async () => {
    const root = join(dir, "checked");
    const storage = createLocalStorage(root);
    await storage.check(AbortSignal.timeout(1000));
    await writeFile(root, "not a directory");
    await expect(storage.check(AbortSignal.timeout(1000))).rejects.toThrow(/ENOTDIR/);
  });
});

describe("S3-compatible storage", () => {
  const options = {
    bucket: "memos",
    prefix: "aimo",
    endpoint: "",
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
  };

  it("checks the bucket itself: a missing one fails, as a key lookup would not tell", async () => {
    const onlyOthers = await startFakeS3({ buckets: ["others"] });
    try {
      const missing = createStorageFromEnv(
        parseEnv(storageEnvSchema, {
          ATTACHMENT_STORAGE: "s3",
          ATTACHMENT_S3_BUCKET: "memos",
          ATTACHMENT_S3_ENDPOINT: onlyOthers.url,
          ATTACHMENT_S3_ACCESS_KEY_ID: "AKIDTEST",
          ATTACHMENT_S3_SECRET_ACCESS_KEY: "secret",
        }),
      );
      expect(await missing.exists("readyz-probe")).toBe(false);
      await expect(missing.check(AbortSignal.timeout(1000))).rejects.toThrow(
        "attachment storage failed: bucket memos does not exist",
      );
      const present = createS3Storage({
        ...options,
        bucket: "others",
        endpoint: onlyOthers.url,
        isPublic: false,
      });
      await present.check(AbortSignal.timeout(1000));
      expect(onlyOthers.requests.at(-1)).toMatchObject({ method: "HEAD", path: "others/" });
      await Promise.all([missing.close(), present.close()]);
    } finally {
      await onlyOthers.close();
    }
  });

  it("stops checking a bucket that does not answer when its signal aborts", async () => {
    // Accepts connections and never answers, as a hung endpoint does.
    const silent = createServer(() => undefined);
    await new Promise<void>((listening) => silent.listen(0, "127.0.0.1", listening));
    const { port } = silent.address() as AddressInfo;
    const storage = createS3Storage({ ...options, endpoint: `http://127.0.0.1:${port}`, isPublic: false });
    try {
      const started = performance.now();
      await expect(storage.check(AbortSignal.timeout(300))).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      await storage.close();
      silent.closeAllConnections();
      await new Promise((closed) => silent.close(closed));
    }
  });

  it("puts, reads, ranges and deletes objects under its prefix with signed requests", async () => {
    const storage = createS3Storage({ ...options, endpoint: s3.url, isPublic: false });
    await exerciseContract(storage);
    expect(s3.requests.find((r) => r.method === "PUT")?.path).toBe("memos/aimo/u1/2026-11-24/a1.txt");
    expect(storage.location).toMatchObject({
      type: "s3",
      bucket: "memos",
      prefix: "aimo/",
      isPublicBucket: false,
    });
    await storage.close();
  });

  it("streams objects in as multipart uploads, aborting a broken one, and lists a folder a page at a time", async () => {
    const storage = createS3Storage({ ...options, endpoint: s3.url, isPublic: false });
    const before = s3.requests.length;
    await exerciseStreams(storage);
    const partsOfBig = s3.requests
      .slice(before)
      .filter((r) => r.method === "PUT" && r.path === "memos/aimo/b1/big.bin" && r.query.has("partNumber"));
    expect(partsOfBig).toHaveLength(3);
    expect(s3.uploads.size).toBe(0);
    expect([...s3.objects.keys()].filter((key) => key.startsWith("memos/aimo/b1/"))).toEqual([
      "memos/aimo/b1/sub/c.txt",
    ]);
    await storage.close();
  });

  it("links a private bucket with an expiring presigned URL that names the file, and a public one plainly", async () => {
    const privateStorage = createS3Storage({ ...options, endpoint: s3.url, isPublic: false });
    await privateStorage.putFile("u1/d/a2.png", await spool("png bytes"), {
      contentType: "image/png",
      size: 9,
    });
    const signed = new URL(
      (await privateStorage.directUrl("u1/d/a2.png", {
        expiresInSeconds: 600,
        filename: "猫 cat.png",
        contentType: "image/png",
        disposition: "inline",
      }))!,
    );
    expect(signed.pathname).toBe("/memos/aimo/u1/d/a2.png");
    expect(signed.searchParams.get("X-Amz-Expires")).toBe("600");
    expect(signed.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.searchParams.get("response-content-disposition")).toBe(
      contentDisposition("inline", "猫 cat.png"),
    );
    const fetched = await fetch(signed);
    expect(fetched.status).toBe(200);
    expect(await fetched.text()).toBe("png bytes");

    const publicStorage = createS3Storage({ ...options, endpoint: s3.url, isPublic: true });
    const plain = await publicStorage.directUrl("u1/d/a2.png", {
      expiresInSeconds: 600,
      filename: "x",
      contentType: "image/png",
      disposition: "inline",
    });
    expect(plain).toBe(`${s3.url}/memos/aimo/u1/d/a2.png`);
    const cdn = createS3Storage({
      ...options,
      endpoint: s3.url,
      isPublic: true,
      publicUrl: "https://cdn.example.com/",
    });
    expect(
      await cdn.directUrl("u1/d/猫.png", {
        expiresInSeconds: 1,
        filename: "x",
        contentType: "image/png",
        disposition: "inline",
      }),
    ).toBe("https://cdn.example.com/aimo/u1/d/%E7%8C%AB.png");
    await Promise.all([privateStorage.close(), publicStorage.close(), cdn.close()]);
  });

  it("is chosen by the environment, and a half configuration names what is missing", () => {
    expect(createStorageFromEnv(parseEnv(storageEnvSchema, {})).location.type).toBe("local");
    expect(() => createStorageFromEnv(parseEnv(storageEnvSchema, { ATTACHMENT_STORAGE: "s3" }))).toThrow(
      /ATTACHMENT_S3_BUCKET/,
    );
    expect(() =>
      createStorageFromEnv(
        parseEnv(storageEnvSchema, {
          ATTACHMENT_STORAGE: "s3",
          ATTACHMENT_S3_BUCKET: "b",
          ATTACHMENT_S3_ACCESS_KEY_ID: "k",
        }),
      ),
    ).toThrow(/set both or neither/);
    const storage = createStorageFromEnv(
      parseEnv(storageEnvSchema, {
        ATTACHMENT_STORAGE: "s3",
        ATTACHMENT_S3_BUCKET: "b",
        ATTACHMENT_S3_ENDPOINT: s3.url,
        ATTACHMENT_S3_PUBLIC: "true",
        ATTACHMENT_S3_PREFIX: "",
      }),
    );
    expect(storage.location).toMatchObject({
      type: "s3",
      bucket: "b",
      prefix: undefined,
      endpoint: s3.url,
      isPublicBucket: true,
    });
    expect(() => parseEnv(storageEnvSchema, { ATTACHMENT_S3_PUBLIC: "maybe" })).toThrow();
  });
});

describe("content disposition", () => {
  it("keeps a non-ASCII file name intact in filename* with an ASCII fallback", () => {
    expect(contentDisposition("attachment", '报告 "final".pdf')).toBe(
      `attachment; filename="__ _final_.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22final%22.pdf`,
    );
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { createAimoClient, uploadAttachment } from "@aimo/client";
import { createDb } from "@aimo/db";
import type { FakeS3 } from "@aimo/fake-services";
import { startFakeS3, tinyPng } from "@aimo/fake-services";
import type { ObjectStorage } from "@aimo/storage";
import { createLocalStorage } from "@aimo/storage";
import type { Manifest } from "@aimo/transfer";
import { backUpAllUsers } from "@aimo/transfer";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";
import { startServer } from "../src/app";

import type { TestServer } from "./server-env";
import { startTestServer, testServerEnv } from "./server-env";
import { readZip } from "./zip-files";

let test: TestServer;
let backupDir: string;
let s3: FakeS3;
/** Servers that share the test server's database and LanceDB, as a second process would. */
const others: RunningServer[] = [];
const accounts: { uid: string; token: string }[] = [];

/** The scheduled slots the tests back up, an hour apart. */
const slot = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour));

async function register(email: string) {
  const { user, token } = await createAimoClient({ url: test.server.url }).auth.register.mutate({
    email,
    password: "backup password",
  });
  accounts.push({ uid: user.uid, token });
  return { client: createAimoClient({ url: test.server.url, token }), token };
}

/** Another server on the same database and LanceDB, with its own settings; the scheduler's timers off. */
async function sameDatabaseServer(settings: Record<string, string>): Promise<RunningServer> {
  const env = testServerEnv(test.mysql, {
    LANCEDB_URI: join(test.dir, "lancedb"),
    EMBEDDING_DIMENSIONS: "16",
    JWT_SECRET: "server_backups-secret-".repeat(4),
    ATTACHMENT_LOCAL_PATH: join(test.dir, "files"),
    SCHEDULER_ENABLED: "false",
    BACKUP_CRON: "0 3 * * *",
    ...settings,
  });
  const server = await startServer(env, pino({ level: "silent" }));
  others.push(server);
  return server;
}

const localBackups = async (uid: string) => (await readdir(join(backupDir, uid))).sort();

/** The files of an export zip, its manifest without the moment it was made. */
async function contents(zip: Buffer) {
  const files = await readZip(zip);
  const { exportedAt: _exportedAt, ...manifest } = JSON.parse(
    files.get("aimo.json")!.toString("utf8"),
  ) as Manifest;
  files.delete("aimo.json");
  return { files, manifest };
}

beforeAll(async () => {
  s3 = await startFakeS3();
  backupDir = await mkdtemp(join(tmpdir(), "aimo-backups-"));
  test = await startTestServer("server_backups", {
    BACKUP_CRON: "0 3 * * *",
    BACKUP_TARGET: backupDir,
    BACKUP_KEEP: "2",
  });
  const alice = await register("alice@backup.test");
  const work = await alice.client.category.create.mutate({ name: "Work" });
  const photo = await uploadAttachment(
    { url: test.server.url, token: alice.token },
    new Blob([new Uint8Array(tinyPng(3, 2, [10, 200, 10]))], { type: "image/png" }),
    "leaf.png",
  );
  const first = await alice.client.memo.create.mutate({
    content: "Backed up every night #ops",
    categoryId: work.id,
    attachmentIds: [photo.id],
  });
  await alice.client.memo.create.mutate({ content: "A second memo", linkedMemoIds: [first.id] });
  const bob = await register("bob@backup.test");
  await bob.client.memo.create.mutate({ content: "Bob's only memo" });
});

afterAll(async () => {
  for (const server of others) await server.stop();
  await test?.close();
  await s3?.close();
  await rm(backupDir, { recursive: true, force: true });
});

describe("scheduled backups", () => {
  it("write one zip per user with what GET /export gives", async () => {
    expect(await test.server.scheduler.runBackups(slot(3))).toEqual({ written: 2, failed: [] });
    for (const { uid, token } of accounts) {
      expect(await localBackups(uid)).toEqual(["aimo-export-20261201T030000Z.zip"]);
      const backup = await contents(await readFile(join(backupDir, uid, "aimo-export-20261201T030000Z.zip")));
      const response = await fetch(`${test.server.url}/export`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const exported = await contents(Buffer.from(await response.arrayBuffer()));
      expect(backup.manifest).toEqual(exported.manifest);
      expect([...backup.files.keys()].sort()).toEqual([...exported.files.keys()].sort());
      for (const [path, bytes] of exported.files)
        expect(backup.files.get(path)?.equals(bytes), path).toBe(true);
    }
    const alice = await contents(
      await readFile(join(backupDir, accounts[0]!.uid, "aimo-export-20261201T030000Z.zip")),
    );
    expect([...alice.files.keys()].filter((path) => path.startsWith("memos/"))).toHaveLength(2);
    expect([...alice.files.keys()].filter((path) => path.startsWith("attachments/"))).toHaveLength(1);
  });

  it("keep only the newest BACKUP_KEEP of each user, and a slot that ran is not run again", async () => {
    await test.server.scheduler.runBackups(slot(4));
    await test.server.scheduler.runBackups(slot(5));
    expect(await test.server.scheduler.runBackups(slot(5))).toBeUndefined();
    for (const { uid } of accounts) {
      expect(await localBackups(uid)).toEqual([
        "aimo-export-20261201T040000Z.zip",
        "aimo-export-20261201T050000Z.zip",
      ]);
    }
  });

  it("go on with the other users when one user's backup fails, keeping the failed user's older backups", async () => {
    const [alice, bob] = accounts;
    // A file where Bob's folder should be: his backup cannot be written.
    await rm(join(backupDir, bob!.uid), { recursive: true });
    await writeFile(join(backupDir, bob!.uid), "in the way");
    expect(await test.server.scheduler.runBackups(slot(6))).toEqual({ written: 1, failed: [bob!.uid] });
    expect(await localBackups(alice!.uid)).toEqual([
      "aimo-export-20261201T050000Z.zip",
      "aimo-export-20261201T060000Z.zip",
    ]);
    await rm(join(backupDir, bob!.uid));
  });

  it("run once per slot when two servers share the database", async () => {
    const second = await sameDatabaseServer({ BACKUP_TARGET: backupDir, BACKUP_KEEP: "2" });
    const runs = await Promise.all([
      test.server.scheduler.runBackups(slot(7)),
      second.scheduler.runBackups(slot(7)),
    ]);
    expect(runs.filter((run) => run !== undefined)).toEqual([{ written: 2, failed: [] }]);
    for (const { uid } of accounts)
      expect(await localBackups(uid)).toContain("aimo-export-20261201T070000Z.zip");
    expect(await second.scheduler.runBackups(slot(7))).toBeUndefined();
  });

  it("go to the attachment bucket under backups/ when BACKUP_TARGET=s3", async () => {
    const server = await sameDatabaseServer({
      BACKUP_TARGET: "s3",
      BACKUP_KEEP: "1",
      ATTACHMENT_S3_BUCKET: "memos",
      ATTACHMENT_S3_PREFIX: "aimo/",
      ATTACHMENT_S3_ENDPOINT: s3.url,
      ATTACHMENT_S3_ACCESS_KEY_ID: "AKIDTEST",
      ATTACHMENT_S3_SECRET_ACCESS_KEY: "secret",
    });
    expect(await server.scheduler.runBackups(slot(8))).toEqual({ written: 2, failed: [] });
    expect(await server.scheduler.runBackups(slot(9))).toEqual({ written: 2, failed: [] });
    const keys = [...s3.objects.keys()].sort();
    expect(keys).toEqual(
      accounts.map(({ uid }) => `memos/aimo/backups/${uid}/aimo-export-20261201T090000Z.zip`).sort(),
    );
    const zip = await readZip(s3.objects.get(keys[0]!)!.body);
    expect(zip.has("aimo.json")).toBe(true);
    expect(s3.uploads.size).toBe(0);
  });

  it("stop at once when aborted (the scheduler stopping), leaving nothing of the zip being written", async () => {
    const db = await createDb(test.mysql);
    const root = join(test.dir, "stopped-backups");
    const local = createLocalStorage(root);
    const stopping = new AbortController();
    let started = 0;
    // The second user's backup is stopped as it starts.
    const target: ObjectStorage = {
      ...local,
      putStream(key, body, meta) {
        if (++started === 2) stopping.abort(new Error("the scheduler is stopping"));
        return local.putStream(key, body, meta);
      },
    };
    const run = backUpAllUsers(
      { db: db.db, storage: createLocalStorage(join(test.dir, "files")) },
      { target, keep: 2, slot: slot(10), signal: stopping.signal },
    );
    await expect(run).rejects.toThrow("the scheduler is stopping");
    await db.close();
    const [first, second] = accounts.map(({ uid }) => uid).sort();
    expect(await readdir(join(root, first!))).toEqual(["aimo-export-20261201T100000Z.zip"]);
    expect(await readdir(join(root, second!))).toEqual([]);
  });

  it("refuse an S3 target without a bucket, or in a public bucket", () => {
    const parse = (settings: Record<string, string>) =>
      testServerEnv(test.mysql, { BACKUP_CRON: "0 3 * * *", BACKUP_TARGET: "s3", ...settings });
    expect(() => parse({})).toThrow(/ATTACHMENT_S3_BUCKET/);
    expect(() => parse({ ATTACHMENT_S3_BUCKET: "memos", ATTACHMENT_S3_PUBLIC: "true" })).toThrow(
      /private bucket/,
    );
    expect(parse({ ATTACHMENT_S3_BUCKET: "memos" }).BACKUP_TARGET).toBe("s3");
  });
});

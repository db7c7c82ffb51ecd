import { readdir } from "node:fs/promises";
import { join } from "node:path";

import { createAimoClient, uploadAttachment, uploadAvatar } from "@aimo/client";
import type { MysqlConfig } from "@aimo/db";
import { createDb } from "@aimo/db";
import { tinyPng } from "@aimo/fake-services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RunningServer } from "../src/app";

import type { TestServer } from "./server-env";
import { startTestServer } from "./server-env";
import { uploadRefusal } from "./upload-refusal";

const redPng = tinyPng(3, 3, [220, 20, 20]);
const bluePng = tinyPng(2, 2, [20, 20, 220]);

let running: TestServer;
let dir: string;
let mysql: MysqlConfig;
let server: RunningServer;

beforeAll(async () => {
  running = await startTestServer("server_avatars");
  ({ server, dir, mysql } = running);
});
afterAll(() => running.close());

let signUps = 0;
async function signUp() {
  const anonymous = createAimoClient({ url: server.url });
  const { token, user } = await anonymous.auth.register.mutate({
    email: `avatar${++signUps}@example.test`,
    password: "avatars password",
  });
  return { token, uid: user.uid, client: createAimoClient({ url: server.url, token }) };
}

const avatarFiles = (uid: string) => readdir(join(dir, "files", "avatar", uid)).catch(() => []);

describe("avatars", () => {
  it("uploads an image, serves it by the signed avatarUrl of user.get and auth.me, and replaces it", async () => {
    const { token, uid, client } = await signUp();
    expect((await client.user.get.query()).avatarUrl).toBeUndefined();

    const { avatarUrl } = await uploadAvatar(
      { url: server.url, token },
      new Blob([redPng], { type: "image/png" }),
    );
    expect(avatarUrl).toMatch(new RegExp(`^/avatars/${uid}\\?expires=\\d+&sig=[\\w-]+$`));
    expect((await client.user.get.query()).avatarUrl).toBe(avatarUrl);
    expect((await client.auth.me.query()).avatarUrl).toBe(avatarUrl);
    const image = await fetch(`${server.url}${avatarUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(redPng);

    // A new avatar: the old file is removed and its link stops working.
    const replaced = await uploadAvatar(
      { url: server.url, token },
      new Blob([bluePng], { type: "image/png" }),
    );
    expect(Buffer.from(await (await fetch(`${server.url}${replaced.avatarUrl}`)).arrayBuffer())).toEqual(
      bluePng,
    );
    expect((await fetch(`${server.url}${avatarUrl}`)).status).toBe(403);
    expect(await avatarFiles(uid)).toHaveLength(1);

    // A link is the owner's avatar only: another uid, a tampered signature or none is refused.
    const other = await signUp();
    const link = new URL(replaced.avatarUrl, server.url);
    const forged = [
      `${server.url}/avatars/${other.uid}${link.search}`,
      `${server.url}/avatars/${uid}?expires=${link.searchParams.get("expires")}&sig=AAAA`,
      `${server.url}/avatars/${uid}`,
    ];
    for (const url of forged) expect((await fetch(url)).status).toBe(403);

    const removed = await client.user.removeAvatar.mutate();
    expect(removed.avatarUrl).toBeUndefined();
    expect(await avatarFiles(uid)).toEqual([]);
    expect((await fetch(`${server.url}${replaced.avatarUrl}`)).status).toBe(403);
  });

  it("takes only images up to 5 MB, by their content, and keeps nothing of a refusal", async () => {
    const { token, uid, client } = await signUp();
    const options = { url: server.url, token };
    const cases = [
      { blob: new Blob(["plain words"], { type: "text/plain" }), status: 415 },
      // Declared as an image, but not one.
      { blob: new Blob(["<svg xmlns='http://www.w3.org/2000/svg'/>"], { type: "image/png" }), status: 415 },
      { blob: new Blob([Buffer.alloc(5 * 1024 * 1024 + 1, 1)], { type: "image/png" }), status: 413 },
    ];
    for (const { blob, status } of cases) {
      expect(await uploadRefusal(uploadAvatar(options, blob))).toMatchObject({ status });
    }
    expect(await uploadRefusal(uploadAvatar({ url: server.url }, new Blob([redPng])))).toMatchObject({
      status: 401,
    });
    expect((await client.user.get.query()).avatarUrl).toBeUndefined();
    expect(await avatarFiles(uid)).toEqual([]);
    expect(await readdir(join(dir, "spool"))).toEqual([]);
  });

  it("no longer takes a storage path through user.update, nor serves one outside the user's avatars", async () => {
    const owner = await signUp();
    const attachment = await uploadAttachment(
      { url: server.url, token: owner.token },
      new Blob([redPng], { type: "image/png" }),
      "private.png",
    );
    const intruder = await signUp();
    const update = await fetch(`${server.url}/trpc/user.update`, {
      method: "POST",
      headers: { authorization: `Bearer ${intruder.token}`, "content-type": "application/json" },
      body: JSON.stringify({ json: { avatar: `${owner.uid}/x/${attachment.id}.png` } }),
    });
    expect(update.status).toBe(400);

    // A path written before this change (or by the migrator) that points elsewhere is not turned into a link.
    const db = await createDb(mysql);
    try {
      await db.pool.execute("UPDATE users SET avatar = ? WHERE uid = ?", [
        `avatar/${intruder.uid}/../../${owner.uid}/private.png`,
        intruder.uid,
      ]);
    } finally {
      await db.close();
    }
    expect((await intruder.client.user.get.query()).avatarUrl).toBeUndefined();
  });
});

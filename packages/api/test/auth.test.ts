import { users } from "@aimo/db";
import bcrypt from "bcryptjs";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resolveUser } from "../src";
import type { Harness } from "./harness";
import { expectCode, openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_auth");
});
afterAll(async () => {
  await h.close();
});

const config = () => h.context(null).config;

describe("accounts", () => {
  it("registers with a default category, logs in, changes the password, and never exposes the hash", async () => {
    const anonymous = h.caller(null);
    const registered = await anonymous.auth.register({
      email: "Ada@Example.test",
      password: "first password",
      nickname: "Ada",
    });
    expect(registered.user).toMatchObject({ email: "ada@example.test", nickname: "Ada" });
    expect(JSON.stringify(registered)).not.toMatch(/argon2|password/i);
    await expectCode(
      anonymous.auth.register({ email: "ada@example.test", password: "another one" }),
      "CONFLICT",
    );
    const session = await anonymous.auth.login({ email: "ADA@example.test", password: "first password" });
    expect(await resolveUser(h.db.db, config(), `Bearer ${session.token}`)).toEqual({
      uid: registered.user.uid,
    });
    const api = h.caller(registered.user.uid);
    expect((await api.category.list()).map((c) => c.name)).toEqual(["Inbox"]);
    await expectCode(
      api.auth.changePassword({ currentPassword: "wrong", newPassword: "second password" }),
      "BAD_REQUEST",
    );
    await api.auth.changePassword({ currentPassword: "first password", newPassword: "second password" });
    await expectCode(
      anonymous.auth.login({ email: "ada@example.test", password: "first password" }),
      "UNAUTHORIZED",
    );
    expect(
      (await anonymous.auth.login({ email: "ada@example.test", password: "second password" })).user.uid,
    ).toBe(registered.user.uid);
    const profile = await api.user.update({
      nickname: "Countess",
      avatar: `avatar/${registered.user.uid}/a.png`,
    });
    expect(profile).toMatchObject({ nickname: "Countess", avatar: `avatar/${registered.user.uid}/a.png` });
    await expectCode(api.user.update({ avatar: "../../etc/passwd" }), "BAD_REQUEST");
  });

  it("lets a migrated bcrypt account log in and upgrades its hash", async () => {
    const { uid } = await h.user("legacy@example.test");
    await h.db.db
      .update(users)
      .set({ passwordHash: await bcrypt.hash("legacy password", 4) })
      .where(eq(users.uid, uid));
    await h.caller(null).auth.login({ email: "legacy@example.test", password: "legacy password" });
    const [row] = await h.db.db.select().from(users).where(eq(users.uid, uid));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    await h.caller(null).auth.login({ email: "legacy@example.test", password: "legacy password" });
  });

  it("slows down repeated failed logins", async () => {
    await h.user("target@example.test");
    const anonymous = h.caller(null, { clientIp: "203.0.113.9" });
    for (let i = 0; i < 5; i++)
      await expectCode(
        anonymous.auth.login({ email: "target@example.test", password: "nope" }),
        "UNAUTHORIZED",
      );
    await expectCode(
      anonymous.auth.login({ email: "target@example.test", password: "nope" }),
      "UNAUTHORIZED",
    );
    // The sixth failure opened a waiting window: even the right password waits.
    await expectCode(
      anonymous.auth.login({ email: "target@example.test", password: "correct horse battery" }),
      "TOO_MANY_REQUESTS",
    );
  });

  it("refuses tampered, expired and foreign tokens", async () => {
    const { uid, token } = await h.user();
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toEqual({ uid });
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ sub: "someone-else", iss: "aimo", exp: 4102444800 })).toString("base64url")}.${signature}`;
    expect(await resolveUser(h.db.db, config(), `Bearer ${tampered}`)).toBeNull();
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uid)
      .setIssuer("aimo")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(config().jwtSecret);
    expect(await resolveUser(h.db.db, config(), `Bearer ${expired}`)).toBeNull();
    const foreign = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uid)
      .setIssuer("aimo")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("another-secret-another-secret-12345"));
    expect(await resolveUser(h.db.db, config(), `Bearer ${foreign}`)).toBeNull();
    expect(await resolveUser(h.db.db, config(), undefined)).toBeNull();
    expect(await resolveUser(h.db.db, config(), "Basic abc")).toBeNull();
    await expectCode(h.caller(null).auth.me(), "UNAUTHORIZED");
  });

  it("creates, uses, lists and revokes personal API tokens, stored hashed", async () => {
    const { uid, api } = await h.user();
    const { token, info } = await api.auth.createToken({ name: "browser extension" });
    expect(token).toMatch(/^aimo_pat_/);
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toEqual({ uid });
    const listed = await api.auth.listTokens();
    expect(listed).toEqual([
      expect.objectContaining({ id: info.id, name: "browser extension", prefix: token.slice(0, 13) }),
    ]);
    expect(listed[0]!.lastUsedAt).toBeTypeOf("number");
    expect(JSON.stringify(listed)).not.toContain(token);
    const other = await h.user();
    await expectCode(other.api.auth.revokeToken({ id: info.id }), "NOT_FOUND");
    await api.auth.revokeToken({ id: info.id });
    expect(await resolveUser(h.db.db, config(), `Bearer ${token}`)).toBeNull();
    const expiring = await api.auth.createToken({ name: "old", expiresAt: Date.now() - 1000 });
    expect(await resolveUser(h.db.db, config(), `Bearer ${expiring.token}`)).toBeNull();
  });
});

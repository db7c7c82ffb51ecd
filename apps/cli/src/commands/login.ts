import { hostname } from "node:os";

import { TRPCClientError } from "@aimo/client";

import { configPath, loadConfig, removeConfig, saveConfig } from "../config";
import { UsageError } from "../errors";
import { ask, readStdin } from "../input";
import type { Answer } from "../output";
import { openSession, storedSession } from "../session";

export const DEFAULT_SERVER = "http://127.0.0.1:3000";

export interface LoginOptions {
  server?: string;
  email?: string;
  password?: string;
  token?: string;
  name?: string;
}

/** The server asked for, else the one logged in to before, else a local server. */
async function chosenServer(given: string | undefined): Promise<string> {
  if (given) {
    if (!/^https?:\/\//i.test(given))
      throw new UsageError(`The server must be an http(s) URL, not "${given}".`);
    return given;
  }
  return (await loadConfig().catch(() => undefined))?.server ?? DEFAULT_SERVER;
}

/**
 * With `--token`, checks and keeps that token. Otherwise logs in with email and password (asked for on a terminal;
 * the password read from stdin when it is piped) and creates a personal API token named for this machine: the
 * password is never stored, and the token keeps working after a password change until it is revoked.
 */
export async function login(options: LoginOptions): Promise<Answer> {
  const server = await chosenServer(options.server);
  const interactive = Boolean(process.stdin.isTTY);
  let token = options.token;
  let tokenId: string | undefined;
  let email: string | undefined;
  if (!token) {
    email = options.email ?? (interactive ? await ask("Email: ") : undefined);
    if (!email) throw new UsageError("Give --email (and the password on stdin or --password), or --token.");
    const password =
      options.password ??
      (interactive ? await ask("Password: ", { hidden: true }) : (await readStdin()).replace(/\r?\n$/, ""));
    if (!password) throw new UsageError("No password given: pipe it on stdin or pass --password.");
    const session = await openSession(server)
      .client.auth.login.mutate({ email, password })
      .catch((error: unknown) => {
        // Here UNAUTHORIZED is the password, not a stored token: say so rather than "log in again".
        if (
          error instanceof TRPCClientError &&
          (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED"
        )
          throw new UsageError(error.message.replace(/\.?$/, "."));
        throw error;
      });
    const created = await openSession(server, session.token).client.auth.createToken.mutate({
      name: (options.name ?? `aimo CLI on ${hostname()}`).slice(0, 64),
    });
    token = created.token;
    tokenId = created.info.id;
  }
  const me = await openSession(server, token).client.auth.me.query();
  email ??= me.email;
  const file = await saveConfig({ server, token, tokenId, email });
  return {
    json: { server, email, tokenId, config: file },
    text: `Logged in to ${server}${email ? ` as ${email}` : ""}. Token saved in ${file}.`,
  };
}

/** Revokes the token the CLI created (a token given with --token is left alone) and forgets the login. */
export async function logout(): Promise<Answer> {
  const config = await loadConfig();
  if (config.tokenId) await (await storedSession()).client.auth.revokeToken.mutate({ id: config.tokenId });
  await removeConfig();
  return {
    json: { server: config.server, revoked: Boolean(config.tokenId) },
    text: `Logged out of ${config.server}${config.tokenId ? "; its token is revoked" : ""}. Removed ${configPath()}.`,
  };
}

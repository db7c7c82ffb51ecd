import type { AimoClient, AimoClientOptions } from "@aimo/client";
import { createAimoClient } from "@aimo/client";

import { loadConfig } from "./config";

/** A logged-in server: its typed client, and what the plain HTTP routes need. */
export interface Session {
  server: string;
  options: AimoClientOptions;
  client: AimoClient;
  authHeaders(): Record<string, string>;
}

export const normalizeServer = (url: string) => url.replace(/\/+$/, "");

/** The server this run talked to last, for an error that must say which one could not be reached. */
let lastServer: string | undefined;
export const contactedServer = () => lastServer;

export function openSession(server: string, token?: string): Session {
  lastServer = normalizeServer(server);
  const options: AimoClientOptions = { url: normalizeServer(server), token };
  return {
    server: normalizeServer(server),
    options,
    client: createAimoClient(options),
    authHeaders: (): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/** The session of the stored login. */
export async function storedSession(): Promise<Session> {
  const config = await loadConfig();
  return openSession(config.server, config.token);
}

import type { ChatModel, Embedder, MultimodalEmbedder } from "@aimo/ai";
import type { Database } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import type { Logger } from "pino";

import type { LoginThrottle } from "./auth/login-throttle";
import type { AttachmentSettings } from "./services/attachments/settings";
import type { ResolveHost } from "./services/push/targets";

/** The caller, once a bearer token has been verified. */
export interface AuthUser {
  uid: string;
}

export interface ApiConfig {
  /** HS256 key for access tokens. */
  jwtSecret: Uint8Array;
  /** Access token lifetime in seconds. */
  jwtTtlSeconds: number;
  /** IANA zone for calendar days ("on this day", heatmap, daily picks, push hours). */
  timezone: string;
  push: PushConfig;
  /**
   * How long a request waits for embedding work (a write's vectors, search's query embedding) before it
   * answers without: the memo shows `pending`, search answers `degraded`.
   */
  vectorDeadlineMs: number;
}

export interface PushConfig {
  /** Webhook targets on private, loopback or link-local addresses are refused unless this is set. */
  allowPrivateTargets: boolean;
  meowBaseUrl: string;
  /** Resolves webhook hosts, for the check and the connection alike; the system resolver when absent. */
  resolveHost?: ResolveHost;
}

/**
 * Everything a procedure may use, as plain values: tests build it by hand and call routers through
 * `createCaller`; the HTTP host builds it per request and only adds what it read from headers.
 */
export interface Context {
  db: Database;
  /** Answers whether MySQL is reachable, for readiness. */
  pingDb: () => Promise<boolean>;
  vectors: VectorStore;
  embedder: Embedder;
  /** Null when no multimodal provider is configured. */
  multimodal: MultimodalEmbedder | null;
  /** Null when no chat model is configured; AI chat then answers PRECONDITION_FAILED. */
  chat: ChatModel | null;
  /** Attachment storage, upload limits and download links. */
  attachments: AttachmentSettings;
  config: ApiConfig;
  /** Long-lived, shared across requests. */
  loginThrottle: LoginThrottle;
  logger: Logger;
  user: AuthUser | null;
  /** The client's address (from X-Forwarded-For only through trusted proxies), for login throttling. */
  clientIp: string;
  requestId: string;
  version: string;
}

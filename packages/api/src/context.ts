import type { ChatModel, Embedder, MultimodalEmbedder } from "@aimo/ai";
import type { Database } from "@aimo/db";
import type { VectorStore } from "@aimo/vectors";
import type { Logger } from "pino";

import type { LoginThrottle } from "./auth/login-throttle";
import type { AuthUser } from "./auth/resolve-user";
import type { ApiConfig } from "./config/api";
import type { AttachmentSettings } from "./config/attachments";

/**
 * What the API depends on, built once at start (by the server, or by a test harness) and shared by every
 * request and by background work: services take these, never a request.
 */
export interface ApiDeps {
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
  loginThrottle: LoginThrottle;
  logger: Logger;
  version: string;
}

/** What one request adds, read from its headers. */
export interface RequestInfo {
  user: AuthUser | null;
  /** The client's address (from X-Forwarded-For only through trusted proxies), for login throttling. */
  clientIp: string;
  requestId: string;
}

/** What a procedure sees: the shared dependencies, a logger naming the request, and the request. */
export type Context = ApiDeps & RequestInfo;

/**
 * Written out rather than spread from `deps` and `request`: a literal of fixed shape costs a request ~1 µs where
 * the spreads cost ~7 (memo.list in `pnpm bench`); the types make a new dependency a compile error here.
 */
export function createContext(deps: ApiDeps, request: RequestInfo): Context {
  let logger: Logger | undefined;
  return {
    db: deps.db,
    pingDb: deps.pingDb,
    vectors: deps.vectors,
    embedder: deps.embedder,
    multimodal: deps.multimodal,
    chat: deps.chat,
    attachments: deps.attachments,
    config: deps.config,
    loginThrottle: deps.loginThrottle,
    version: deps.version,
    user: request.user,
    clientIp: request.clientIp,
    requestId: request.requestId,
    // Made on first use: most requests log nothing.
    get logger() {
      return (logger ??= deps.logger.child({ requestId: request.requestId }));
    },
  };
}

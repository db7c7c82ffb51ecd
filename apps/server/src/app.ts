import type { AddressInfo } from "node:net";

import type { ApiDeps } from "@aimo/api/server";
import { createChatModelFromEnv } from "@aimo/ai";
import {
  apiConfigFromEnv,
  attachmentSettingsFromEnv,
  createContext,
  createLoginThrottle,
  resolveUser,
  toTRPCError,
} from "@aimo/api/server";
import { resolveWorkspacePath } from "@aimo/env";
import { createStorageFromEnv } from "@aimo/storage";
import type { Logger } from "pino";

import { clientAddress } from "./client-address";
import type { ServerEnv } from "./env";
import { createHttpServer } from "./http";
import { readiness } from "./readiness";
import { listenStartupError } from "./startup-error";
import { createWebAppHandler } from "./routes/web-app";
import { openStores } from "./stores";
import { startScheduler } from "./scheduler";
import type { Scheduler } from "./scheduler";
import { createBackupTarget } from "./scheduler/backup-target";
import { startVectorWorker } from "./vector-worker";
import { version } from "./version";

export interface RunningServer {
  url: string;
  /** Stops accepting, waits for in-flight requests, stops background work, then closes the stores. */
  stop(): Promise<void>;
  scheduler: Scheduler;
}

/** Start order: pool -> migrate -> LanceDB -> providers -> listen (the environment was validated by the caller). */
export async function startServer(env: ServerEnv, logger: Logger): Promise<RunningServer> {
  const { usingDevSecret, ...apiConfig } = apiConfigFromEnv(env);
  if (usingDevSecret)
    logger.warn("JWT_SECRET is not set: using the development secret (set it in production)");
  const stores = await openStores(env, logger);
  const { dbHandle, vectors, embedder, multimodal } = stores;

  // Relative to the repository root, like LANCEDB_URI: the migrator copies legacy files to the same place.
  const storage = createStorageFromEnv({
    ...env,
    ATTACHMENT_LOCAL_PATH: resolveWorkspacePath(env.ATTACHMENT_LOCAL_PATH),
  });
  const attachments = attachmentSettingsFromEnv(env, storage, apiConfig.jwtSecret);
  const chat = createChatModelFromEnv(env);
  logger.info({ storage: storage.location.type, chat: chat?.model ?? null }, "attachments and chat ready");

  // Built once and shared by every request, the scheduler and the vector worker.
  const deps: ApiDeps = {
    db: dbHandle.db,
    pingDb: () => dbHandle.ping(),
    vectors,
    embedder,
    multimodal,
    chat,
    attachments,
    config: apiConfig,
    loginThrottle: createLoginThrottle(dbHandle),
    logger,
    version,
  };
  const backups = env.BACKUP_CRON
    ? { cron: env.BACKUP_CRON, target: createBackupTarget(env), keep: env.BACKUP_KEEP }
    : undefined;
  const scheduler = startScheduler({
    timezone: env.LOCALE_TIMEZONE,
    maintenanceCron: env.DB_OPTIMIZATION_CRON,
    pushRulesCron: env.PUSH_RULES_CRON,
    backups,
    deps,
    workers: env.SCHEDULER_ENABLED
      ? [startVectorWorker({ ...deps, storage }, env.VECTOR_WORKER_INTERVAL_MS)]
      : [],
    enabled: env.SCHEDULER_ENABLED,
  });

  const webAppDir = resolveWorkspacePath(env.WEB_APP_DIR);
  const webApp = createWebAppHandler(webAppDir);
  if (!webApp) logger.warn({ webAppDir }, "the web app is not built (pnpm build): serving the API only");
  const server = createHttpServer({
    logger,
    webApp,
    maxRequestBody: env.MAX_REQUEST_BODY,
    maxImportBytes: env.IMPORT_MAX_FILE_SIZE,
    trpcFastPath: env.TRPC_FAST_PATH,
    corsOrigins: env.CORS_ORIGINS,
    readiness: () =>
      readiness({
        mysql: () => dbHandle.pool.query("SELECT 1"),
        lancedb: () => vectors.ping(),
        storage: (signal) => storage.check(signal),
      }),
    createContext: async (req, requestId) =>
      createContext(deps, {
        // The caller is looked up in MySQL before any procedure runs: its failures are mapped like theirs.
        user: await resolveUser(dbHandle.db, apiConfig, req.headers.authorization).catch((error: unknown) => {
          throw toTRPCError(error);
        }),
        clientIp: clientAddress(req, env.TRUST_PROXY),
        requestId,
      }),
  });
  server.keepAliveTimeout = 5_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(env.PORT, env.HOST, () => resolve());
    });
  } catch (error) {
    await scheduler.stop();
    await stores.close();
    await storage.close();
    await backups?.target.close();
    throw listenStartupError(error, env.HOST, env.PORT) ?? error;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${address.port}`;
  logger.info({ url, version }, "listening");

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), env.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearTimeout(timer);
      // Scheduler first, then MySQL, then LanceDB.
      await scheduler.stop();
      await stores.close();
      await storage.close();
      await backups?.target.close();
    })());
  return { url, stop, scheduler };
}

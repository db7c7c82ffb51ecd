import { startServer } from "./app";
import { parseServerEnv } from "./env";
import { createLogger } from "./logger";

let env;
try {
  env = parseServerEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const logger = createLogger(env.LOG_LEVEL);
try {
  const running = await startServer(env, logger);
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutting down");
    running.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
} catch (error) {
  logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
}

import { startServer } from "./app";
import { parseServerEnv } from "./env";
import { createLogger } from "./logger";
import { StartupError } from "./startup-error";

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
  // What an operator can fix is one sentence on stderr; anything else is a bug, logged with its stack.
  if (error instanceof StartupError) console.error(error.message);
  else logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
}

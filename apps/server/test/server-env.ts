import type { MysqlConfig } from "@aimo/db";

import type { ServerEnv } from "../src/env";
import { serverEnvSchema } from "../src/env";

/** The environment of an in-process test server: a scratch database, port 0, and the test's own settings. */
export function testServerEnv(mysql: MysqlConfig, settings: Record<string, string>): ServerEnv {
  return serverEnvSchema.parse({
    MYSQL_HOST: mysql.host,
    MYSQL_PORT: String(mysql.port),
    MYSQL_USER: mysql.user,
    MYSQL_PASSWORD: mysql.password,
    MYSQL_DATABASE: mysql.database,
    PORT: "0",
    ...settings,
  });
}

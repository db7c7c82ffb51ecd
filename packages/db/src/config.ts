import { parseEnv } from "@aimo/env";
import { z } from "zod";

/** MySQL settings: MYSQL_URL wins; otherwise the MYSQL_HOST/PORT/USER/PASSWORD/DATABASE parts. */
export const mysqlEnvSchema = z.object({
  MYSQL_URL: z.url({ protocol: /^mysql$/ }).optional(),
  MYSQL_HOST: z.string().min(1).default("127.0.0.1"),
  MYSQL_PORT: z.coerce.number().int().min(1).max(65535).default(3306),
  MYSQL_USER: z.string().min(1).default("root"),
  MYSQL_PASSWORD: z.string().default(""),
  MYSQL_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,64}$/, "letters, digits and underscores only")
    .default("aimo"),
  MYSQL_CONNECTION_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  /** How long opening a connection (TCP and handshake) may take. */
  MYSQL_CONNECT_TIMEOUT_MS: timeoutMs(5_000),
  /** How long a query waits for a free pooled connection (opening one included). */
  MYSQL_ACQUIRE_TIMEOUT_MS: timeoutMs(5_000),
  /** How long one statement may take before its connection is dropped; migrations are exempt. */
  MYSQL_QUERY_TIMEOUT_MS: timeoutMs(10_000),
});

function timeoutMs(fallback: number) {
  return z.coerce.number().int().min(100).max(600_000).default(fallback);
}

export interface MysqlConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionLimit: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  queryTimeoutMs: number;
}

export function mysqlConfigFromEnv(env: z.infer<typeof mysqlEnvSchema>): MysqlConfig {
  const pool = {
    connectionLimit: env.MYSQL_CONNECTION_LIMIT,
    connectTimeoutMs: env.MYSQL_CONNECT_TIMEOUT_MS,
    acquireTimeoutMs: env.MYSQL_ACQUIRE_TIMEOUT_MS,
    queryTimeoutMs: env.MYSQL_QUERY_TIMEOUT_MS,
  };
  if (!env.MYSQL_URL) {
    return {
      host: env.MYSQL_HOST,
      port: env.MYSQL_PORT,
      user: env.MYSQL_USER,
      password: env.MYSQL_PASSWORD,
      database: env.MYSQL_DATABASE,
      ...pool,
    };
  }
  const url = new URL(env.MYSQL_URL);
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || env.MYSQL_DATABASE;
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new Error(`MYSQL_URL: database name "${database}" must be letters, digits and underscores only`);
  }
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password),
    database,
    ...pool,
  };
}

/** MySQL settings from the process environment; the error names every bad variable. */
export function mysqlConfigFromProcessEnv(env: NodeJS.ProcessEnv = process.env): MysqlConfig {
  return mysqlConfigFromEnv(parseEnv(mysqlEnvSchema, env));
}

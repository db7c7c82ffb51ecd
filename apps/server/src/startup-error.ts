import type { MysqlConfig } from "@aimo/db";
import { mysqlErrorCode } from "@aimo/db";
import { VectorModelMismatchError } from "@aimo/vectors";

/** A start-up failure an operator can fix, said in one sentence that names the setting; main prints only it. */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

/** The first line of a driver's message, without the Rust source locations LanceDB appends. */
const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .split("\n")[0]!
    .replace(/,\s*\/\S+\.rs:\d+:\d+.*$/, "")
    .replace(/\s+Caused by:.*$/, "")
    .trim();

/** MySQL could not be reached or refused us: what to fix, or undefined for other failures (a bad migration). */
export function mysqlStartupError(error: unknown, config: MysqlConfig): StartupError | undefined {
  const at = `MySQL at ${config.host}:${config.port}`;
  const say = (message: string) => new StartupError(message, { cause: error });
  switch (mysqlErrorCode(error)) {
    case "ECONNREFUSED":
      return say(
        `Cannot reach ${at} (connection refused): is it running? Set MYSQL_URL to where it listens.`,
      );
    case "ETIMEDOUT":
    case "POOL_ACQUIRE_TIMEOUT":
    case "QUERY_TIMEOUT":
    case "ECONNRESET":
    case "PROTOCOL_CONNECTION_LOST":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return say(
        `${at} did not answer (${firstLine(error)}): check that it is up and reachable, or set MYSQL_URL.`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return say(`Cannot find the MySQL host "${config.host}": check the host in MYSQL_URL.`);
    case "ER_ACCESS_DENIED_ERROR":
      return say(
        `${at} refused user "${config.user}" (wrong password?): set the right user and password in MYSQL_URL.`,
      );
    case "ER_DBACCESS_DENIED_ERROR":
      return say(
        `MySQL user "${config.user}" may not create or use the database "${config.database}": grant it, or name another database in MYSQL_URL.`,
      );
    default:
      return undefined;
  }
}

/** The LanceDB location could not be opened: a model mismatch says how to re-embed, anything else where to look. */
export function lancedbStartupError(error: unknown, uri: string): StartupError {
  if (error instanceof VectorModelMismatchError) return new StartupError(error.message, { cause: error });
  return new StartupError(
    `Cannot use the LanceDB location ${uri} (${firstLine(error)}): set LANCEDB_URI to a directory this user can write, or a reachable s3:// or db:// location.`,
    { cause: error },
  );
}

/** The HTTP port could not be bound: what to fix, or undefined for other failures. */
export function listenStartupError(error: unknown, host: string, port: number): StartupError | undefined {
  const say = (message: string) => new StartupError(message, { cause: error });
  switch ((error as { code?: unknown }).code) {
    case "EADDRINUSE":
      return say(
        `Port ${port} on ${host} is already in use: stop the other process or set PORT to a free port.`,
      );
    case "EACCES":
      return say(`Not allowed to listen on ${host}:${port}: set PORT to a port above 1023.`);
    case "EADDRNOTAVAIL":
      return say(`${host} is not an address of this machine: set HOST to one of its addresses.`);
    default:
      return undefined;
  }
}

import { mysqlConfigFromProcessEnv } from "../config";
import type { MysqlConfig } from "../config";

/** For the package's own commands: a bad variable ends the process with its name. */
export function mysqlConfigOrExit(): MysqlConfig {
  try {
    return mysqlConfigFromProcessEnv();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

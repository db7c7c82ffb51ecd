import { mysqlConfigFromEnv, mysqlEnvSchema } from "../config";
import type { MysqlConfig } from "../config";

/** For the package's own commands: a bad variable ends the process with its name. */
export function mysqlConfigFromProcessEnv(): MysqlConfig {
  const parsed = mysqlEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      console.error(`Invalid ${issue.path.join(".")}: ${issue.message}`);
    process.exit(1);
  }
  return mysqlConfigFromEnv(parsed.data);
}

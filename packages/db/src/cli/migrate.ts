import { createDb } from "../client";
import { migrate } from "../migrate";
import { mysqlConfigFromProcessEnv } from "./env";

const handle = await createDb(mysqlConfigFromProcessEnv());
try {
  await migrate(handle);
  console.log(`Database ${handle.config.database} is up to date.`);
} finally {
  await handle.close();
}

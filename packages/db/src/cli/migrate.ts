import { createDb } from "../client";
import { migrate } from "../migrate";
import { mysqlConfigOrExit } from "./env";

const handle = await createDb(mysqlConfigOrExit());
try {
  await migrate(handle);
  console.log(`Database ${handle.config.database} is up to date.`);
} finally {
  await handle.close();
}

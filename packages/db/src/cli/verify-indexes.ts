import { createDb } from "../client";
import { migrate } from "../migrate";
import { verifyIndexes } from "../verify-indexes";
import { mysqlConfigOrExit } from "./env";

const handle = await createDb(mysqlConfigOrExit());
try {
  await migrate(handle);
  const checks = await verifyIndexes(handle);
  console.table(
    checks.map((c) => ({
      query: c.query,
      table: c.table,
      key: c.key ?? "-",
      type: c.type ?? "-",
      rows: c.rows,
      ok: c.ok,
    })),
  );
  const bad = checks.filter((c) => !c.ok);
  if (bad.length > 0) {
    console.error(
      `${bad.length} critical ${bad.length === 1 ? "query scans" : "queries scan"} without an index.`,
    );
    process.exitCode = 1;
  } else {
    console.log(`All ${checks.length} critical query plans use an index.`);
  }
} finally {
  await handle.close();
}

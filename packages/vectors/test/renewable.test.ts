import { connect, makeArrowTable } from "@lancedb/lancedb";
import { describe, expect, it } from "vitest";

import { createRenewableTables } from "../src/renewable";
import { tempDir } from "./helpers";

describe("renewable tables", () => {
  it("closes the connection it leaves once nothing runs on it, and serves every later call from the new one", async () => {
    const own = await tempDir("vectors-renewable");
    try {
      const db = await connect(own.dir);
      const notes = await db.createTable("notes", makeArrowTable([{ id: "a" }, { id: "b" }]));
      const renewable = createRenewableTables({ db, tables: { notes } }, () => connect(own.dir));

      await renewable.renew();
      expect(notes.isOpen()).toBe(false);
      expect(db.isOpen()).toBe(false);
      await renewable.tables.notes.add(makeArrowTable([{ id: "c" }]));
      expect(await renewable.tables.notes.countRows()).toBe(3);

      renewable.close();
      await expect(renewable.tables.notes.countRows()).rejects.toThrow();
    } finally {
      await own.remove();
    }
  });
});

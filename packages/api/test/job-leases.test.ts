import { jobLeases } from "@aimo/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { claimJobSlot, releaseJobSlot, renewJobSlot } from "../src/server";
import type { Harness } from "./harness";
import { openHarness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await openHarness("api_job_leases");
});
afterAll(async () => {
  await h.close();
});

const MINUTE = 60_000;
const slotOf = (job: string, slot: string, holder: string) => ({ job, slot, holder });

describe("job leases", () => {
  it("gives a slot to one of many claimants, once, and never an older slot or two slots at once", async () => {
    const db = h.db.db;
    const slot = "2026-11-24T10:00:00.000Z";
    const claims = await Promise.all(
      ["a", "b", "c", "d", "e"].map((holder) => claimJobSlot(db, slotOf("push", slot, holder), MINUTE)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    const holder = ["a", "b", "c", "d", "e"][claims.indexOf(true)]!;
    // While it runs, neither its slot nor the next one can be taken.
    expect(await claimJobSlot(db, slotOf("push", "2026-11-24T11:00:00.000Z", "x"), MINUTE)).toBe(false);
    expect(await renewJobSlot(db, slotOf("push", slot, holder), MINUTE)).toBe(true);
    expect(await renewJobSlot(db, slotOf("push", slot, "x"), MINUTE)).toBe(false);
    await releaseJobSlot(db, slotOf("push", slot, holder), true);

    expect(await claimJobSlot(db, slotOf("push", slot, "x"), MINUTE)).toBe(false);
    expect(await claimJobSlot(db, slotOf("push", "2026-11-24T09:00:00.000Z", "x"), MINUTE)).toBe(false);
    expect(await claimJobSlot(db, slotOf("push", "2026-11-24T11:00:00.000Z", "x"), MINUTE)).toBe(true);
    // Another job has its own lease.
    expect(await claimJobSlot(db, slotOf("maintenance", slot, "x"), MINUTE)).toBe(true);
  });

  it("lets a failed slot be run again, and a dead holder's slot be taken over once its lease expired", async () => {
    const db = h.db.db;
    const failed = slotOf("retried", "2026-11-24T10:00:00.000Z", "a");
    expect(await claimJobSlot(db, failed, MINUTE)).toBe(true);
    await releaseJobSlot(db, failed, false);
    expect(await claimJobSlot(db, { ...failed, holder: "b" }, MINUTE)).toBe(true);

    // A lease of 0 ms has expired at once, as if its holder died without renewing it.
    const dead = slotOf("taken-over", "2026-11-24T10:00:00.000Z", "dead");
    expect(await claimJobSlot(db, dead, 0)).toBe(true);
    expect(await claimJobSlot(db, { ...dead, holder: "alive" }, MINUTE)).toBe(true);
    expect(await renewJobSlot(db, dead, MINUTE)).toBe(false);
    await releaseJobSlot(db, dead, true);
    const [row] = await db.select().from(jobLeases).where(eq(jobLeases.job, "taken-over"));
    expect(row).toMatchObject({ holder: "alive", finishedAt: null });
  });
});

import { describe, expect, it, vi } from "vitest";

import { createCircuit, guarded, VectorStoreUnavailableError } from "../src/circuit";

const failing = () => Promise.reject(new Error("Not a directory (os error 20)\nmore detail"));

describe("the LanceDB circuit", () => {
  it("opens on a failure and then refuses calls without making them, saying why", async () => {
    const circuit = createCircuit(60_000);
    expect(await circuit.run(() => Promise.resolve(1))).toBe(1);
    expect(circuit.open).toBe(false);

    await expect(circuit.run(failing)).rejects.toThrow("Not a directory");
    expect(circuit).toMatchObject({ open: true, reason: "Not a directory (os error 20)" });
    const work = vi.fn(() => Promise.resolve(2));
    await expect(circuit.run(work)).rejects.toBeInstanceOf(VectorStoreUnavailableError);
    expect(work).not.toHaveBeenCalled();
  });

  it("tries again once the cooldown has passed, and closes when that call succeeds", async () => {
    const circuit = createCircuit(5);
    await expect(circuit.run(failing)).rejects.toThrow();
    await vi.waitFor(() => expect(circuit.open).toBe(false));
    expect(await circuit.run(() => Promise.resolve("back"))).toBe("back");
    expect(circuit).toMatchObject({ open: false, reason: undefined });
  });

  it("never opens with a cooldown of 0 (the migrator retries by itself)", async () => {
    const circuit = createCircuit(0);
    await expect(circuit.run(failing)).rejects.toThrow("Not a directory");
    expect(circuit.open).toBe(false);
    expect(await circuit.run(() => Promise.resolve("tried"))).toBe("tried");
  });

  it("guards only the named methods of an object, keeping its other members", async () => {
    const circuit = createCircuit(60_000);
    const table = {
      dimensions: 4,
      upsert: vi.fn(failing),
      search: vi.fn(() => Promise.resolve(["hit"])),
    };
    const guardedTable = guarded(circuit, table, ["upsert", "search"]);
    expect(guardedTable.dimensions).toBe(4);
    expect(await guardedTable.search()).toEqual(["hit"]);
    await expect(guardedTable.upsert()).rejects.toThrow("Not a directory");
    await expect(guardedTable.search()).rejects.toBeInstanceOf(VectorStoreUnavailableError);
    expect(table.search).toHaveBeenCalledTimes(1);
  });
});

// defineInventory: the typed entry point hosts.ts calls; checked and loaded by load.ts.
import type { InventorySpec } from "./types.ts";

/** Declare the inventory. Returns the spec unchanged; `loadInventory` validates and resolves it. */
export function defineInventory<const T extends InventorySpec>(spec: T): T {
  return spec;
}

// `secrets.ts edit`: the decrypted values in $EDITOR through a private file in memory-backed storage, removed after.
// No in-memory way to hand text to an arbitrary editor exists; the file lives in a 0700 directory on tmpfs
// ($XDG_RUNTIME_DIR, else /dev/shm) — never on disk — with mode 0600, and is overwritten and removed however the edit ends.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { parseValues, serialiseValues, type SecretValues } from "./secrets-file.ts";

/** statfs magic of tmpfs (and of ramfs): memory, not disk. */
const MEMORY_FILESYSTEMS = new Set([0x01021994, 0x858458f6]);

function memoryDirectory(): string {
  for (const dir of [process.env.XDG_RUNTIME_DIR, "/dev/shm"]) {
    if (!dir) continue;
    try {
      if (MEMORY_FILESYSTEMS.has(statfsSync(dir).type)) return dir;
    } catch {}
  }
  throw new InputError([
    "secrets edit: no memory-backed directory ($XDG_RUNTIME_DIR or /dev/shm on tmpfs) to hand the values to an editor; use `secrets.ts set NAME` instead",
  ]);
}

/** Let the operator edit `values` as JSON; returns the edited values (validated), or undefined when nothing changed. */
export function editValues(values: SecretValues, fileName: string): SecretValues | undefined {
  const dir = mkdtempSync(join(memoryDirectory(), "foobar-secrets-"));
  const path = join(dir, "secrets.json");
  const before = serialiseValues(values);
  try {
    writeFileSync(path, before, { mode: 0o600 });
    const editor = process.env.VISUAL || process.env.EDITOR || "vi";
    const result = spawnSync("/bin/sh", ["-c", `${editor} "$1"`, "editor", path], { stdio: "inherit" });
    if (result.status !== 0)
      throw new InputError([
        `secrets edit: ${editor} exited with ${result.status ?? result.signal}; ${fileName} left as it was`,
      ]);
    const after = readFileSync(path, "utf8");
    if (after === before) return undefined;
    try {
      return parseValues(after, fileName);
    } catch (error) {
      throw new InputError([`${(error as Error).message}; ${fileName} left as it was`]);
    }
  } finally {
    try {
      writeFileSync(path, "\0".repeat(before.length * 2));
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
}

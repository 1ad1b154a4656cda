// `secrets.ts edit`: the decrypted values in $EDITOR through a private file in memory-backed storage, removed after.
// No in-memory way to hand text to an arbitrary editor exists; the file lives in a 0700 directory on tmpfs
// ($XDG_RUNTIME_DIR, else /dev/shm) — never on disk — with mode 0600, and is overwritten and removed however the edit
// ends, SIGINT, SIGTERM and SIGHUP included (only a SIGKILL of this process leaves it, until the next reboot or logout).
import { spawn } from "node:child_process";
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

/** The signals that end an edit: the file is wiped and removed, the editor ended, and the signal then ends this process. */
const ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Overwrite the clear-text file, then remove its directory. */
function wipe(dir: string, path: string, length: number): void {
  try {
    writeFileSync(path, "\0".repeat(length * 2));
  } catch {}
  rmSync(dir, { recursive: true, force: true });
}

/** Run `editor` on `path` in the foreground (the terminal stays its own); a signal to this process wipes the file first. */
function runEditor(editor: string, path: string, onSignal: () => void): Promise<number | string | null> {
  return new Promise((resolve, reject) => {
    // exec: the editor is this child itself, so ending the child ends the editor.
    const child = spawn("/bin/sh", ["-c", `exec ${editor} "$1"`, "editor", path], { stdio: "inherit" });
    const handlers = ENDING_SIGNALS.map((signal) => {
      const handler = () => {
        child.kill(signal);
        onSignal();
        for (const [name, installed] of handlers) process.off(name, installed);
        process.kill(process.pid, signal);
      };
      process.on(signal, handler);
      return [signal, handler] as const;
    });
    const done = () => {
      for (const [name, installed] of handlers) process.off(name, installed);
    };
    child.on("error", (error) => {
      done();
      reject(error);
    });
    child.on("exit", (code, signal) => {
      done();
      resolve(code ?? signal);
    });
  });
}

/** Let the operator edit `values` as JSON; returns the edited values (validated), or undefined when nothing changed. */
export async function editValues(values: SecretValues, fileName: string): Promise<SecretValues | undefined> {
  const dir = mkdtempSync(join(memoryDirectory(), "foobar-secrets-"));
  const path = join(dir, "secrets.json");
  const before = serialiseValues(values);
  try {
    writeFileSync(path, before, { mode: 0o600 });
    const editor = process.env.VISUAL || process.env.EDITOR || "vi";
    const status = await runEditor(editor, path, () => wipe(dir, path, before.length));
    if (status !== 0)
      throw new InputError([`secrets edit: ${editor} exited with ${status}; ${fileName} left as it was`]);
    const after = readFileSync(path, "utf8");
    if (after === before) return undefined;
    try {
      return parseValues(after, fileName);
    } catch (error) {
      throw new InputError([`${(error as Error).message}; ${fileName} left as it was`]);
    }
  } finally {
    wipe(dir, path, before.length);
  }
}

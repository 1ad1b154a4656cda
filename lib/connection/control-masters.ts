// Closing OpenSSH masters (ControlPersist) before their time: every control socket in a directory asked to exit.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** `ssh -O exit` to the master behind each socket in `dir` (none when `dir` is missing); each exits and removes its socket. */
export function closeControlMasters(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSocket())
      spawnSync("ssh", ["-F", "/dev/null", "-o", `ControlPath=${join(dir, entry.name)}`, "-O", "exit", "unused"], {
        stdio: "ignore",
      });
  }
}

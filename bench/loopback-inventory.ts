// The loopback hosts' inventory (environment "bench"): N hosts on 127.0.1.1…127.0.1.250, 127.0.2.1…, one sshd user,
// keys under .cache/bench/loopback.
import { join } from "node:path";
import { defineInventory } from "../lib/inventory/define.ts";

export const LOOPBACK_USER = "foobarbench";
export const LOOPBACK_HOME = "/var/lib/foobar-bench";
export const LOOPBACK_PORT = 2222;
export const LOOPBACK_DIR = join(import.meta.dirname, "..", ".cache", "bench", "loopback");
/** Where the synthetic role writes its files on every host (they share one machine). */
export const DATA_DIR = join(LOOPBACK_HOME, "data");

/** 250 hosts per 127.0.x.0/24, from 127.0.1.1: 1,000 hosts end at 127.0.4.250. */
const HOSTS_PER_NETWORK = 250;
export const loopbackAddress = (index: number) =>
  `127.0.${1 + Math.floor(index / HOSTS_PER_NETWORK)}.${1 + (index % HOSTS_PER_NETWORK)}`;
export const loopbackNames = (count: number) =>
  Array.from({ length: count }, (_, index) => `h${String(index + 1).padStart(4, "0")}`);

export function loopbackInventory(count: number) {
  const names = loopbackNames(count);
  return defineInventory({
    environments: {
      bench: {
        ssh: {
          user: LOOPBACK_USER,
          port: LOOPBACK_PORT,
          key: join(LOOPBACK_DIR, "id_ed25519"),
          knownHosts: join(LOOPBACK_DIR, "known_hosts"),
          // 1,000 logins at once on a 2-CPU machine each finish near the end of the whole batch, well past the 10 s
          // default (the OpenSSH floor takes about 70 s for them all): a login slower than this is a failure.
          connectTimeoutMs: 180_000,
        },
        hosts: Object.fromEntries(
          names.map((name, index) => [name, { address: loopbackAddress(index), become: false }]),
        ),
        groups: { bench: { hosts: names } },
        secretsFile: join(LOOPBACK_DIR, "secrets.json"),
        generateSecrets: true,
      },
    },
  });
}

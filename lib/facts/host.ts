// Fact: the host itself — OS release, hostname, IPv4 addresses (with their interfaces), CPU count and memory.
import type { HostProbe } from "./probe.ts";
import { ProbeParseError } from "./probe-error.ts";
import type { Fields } from "./fields.ts";

export interface HostFacts {
  os: { id: string; version: string; codename: string; pretty: string };
  hostname: string;
  addresses: string[];
  /** Global IPv4 addresses by interface, e.g. { device: "eth0", address: "192.168.56.10", prefixLength: 24 }. */
  interfaces: InterfaceAddress[];
  cpus: number;
  memoryMiB: number;
}

export interface InterfaceAddress {
  device: string;
  address: string;
  prefixLength: number;
}

/**
 * One process (ip): it runs on every converge. The hostname is the kernel's (what `hostname` prints), the CPU count
 * the CPUs this shell may run on (what `nproc` prints), read from /proc/self/status by the shell itself.
 */
export const HOST_FACTS_SCRIPT = [
  `. /etc/os-release`,
  `read -r hostname < /proc/sys/kernel/hostname`,
  `printf '%s\\n' "$ID" "$VERSION_ID" "\${VERSION_CODENAME:-}" "$PRETTY_NAME" "$hostname"`,
  `while read -r key value; do case $key in Cpus_allowed_list:) echo "$value"; break ;; esac; done < /proc/self/status`,
  `read -r key value unit < /proc/meminfo; echo "$value"`,
  // Primary addresses only: a floating one (keepalived's VIP, a secondary address of the host's subnet) moves with a
  // failover, and facts that changed make the next run build and probe each play anew (lib/runner/gather.ts).
  `ip -o -4 addr show scope global primary 2>/dev/null`,
].join("\n");

export const hostFactsProbe: HostProbe = { kind: "host" };

/** "0-3,8" -> 5 */
function cpuCount(list: string): number {
  return list
    .split(",")
    .filter(Boolean)
    .reduce((count, range) => {
      const [first, last] = range.split("-").map(Number);
      return count + (last === undefined ? 1 : last - first! + 1);
    }, 0);
}

export function parseHostFacts(stdout: string): HostFacts {
  const lines = stdout.split("\n");
  if (lines.length < 8 || !lines[0]) throw new ProbeParseError("facts", "short output", stdout);
  const [id, version, codename, pretty, hostname, cpus, memoryKiB] = lines as Fields<7>;
  // `ip -o` lines: "2: eth0    inet 192.168.56.10/24 brd 192.168.56.255 scope global eth0\ ..."
  const interfaces = lines
    .slice(7)
    .filter((line) => line.trim())
    .map((line) => {
      const match = /^\d+:\s+(\S+)\s+inet\s+([0-9.]+)\/([0-9]+)\s/.exec(line);
      if (!match) throw new ProbeParseError("facts", `unknown address line "${line}"`, stdout);
      return { device: match[1]!, address: match[2]!, prefixLength: Number(match[3]) };
    });
  if (!/^[0-9,-]+$/.test(cpus) || !/^\d+$/.test(memoryKiB))
    throw new ProbeParseError("facts", "no CPU list or memory size", stdout);
  return {
    os: { id, version, codename, pretty },
    hostname,
    addresses: interfaces.map((entry) => entry.address),
    interfaces,
    cpus: cpuCount(cpus),
    memoryMiB: Math.floor(Number(memoryKiB) / 1024),
  };
}

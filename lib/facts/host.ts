// Fact: the host itself — OS release, hostname, IPv4 addresses (with their interfaces), CPU count and memory.
import { ProbeParseError } from "../resources/resource.ts";

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
 * Two processes (ip, awk) instead of seven: it runs on every converge. The hostname is the kernel's (what `hostname`
 * prints), the CPU count the CPUs this process may run on (what `nproc` prints), from /proc/self/status.
 */
export const hostFactsProbe = [
  `. /etc/os-release`,
  `read -r hostname < /proc/sys/kernel/hostname`,
  `printf '%s\\n' "$ID" "$VERSION_ID" "\${VERSION_CODENAME:-}" "$PRETTY_NAME" "$hostname"`,
  `ip -o -4 addr show scope global 2>/dev/null | awk '`,
  `  FILENAME == "-" { addresses = addresses $2 "=" $4 " " }`,
  `  FILENAME == "/proc/self/status" && $1 == "Cpus_allowed_list:" { n = split($2, ranges, ","); for (i = 1; i <= n; i++) cpus += split(ranges[i], ends, "-") == 2 ? ends[2] - ends[1] + 1 : 1 }`,
  `  FILENAME == "/proc/meminfo" && $1 == "MemTotal:" { memory = int($2 / 1024) }`,
  `  END { print addresses; print cpus; print memory }' - /proc/self/status /proc/meminfo`,
].join("\n");

export function parseHostFacts(stdout: string): HostFacts {
  const lines = stdout.split("\n");
  if (lines.length < 8 || !lines[0]) throw new ProbeParseError("facts", "short output", stdout);
  const [id, version, codename, pretty, hostname, addresses, cpus, memory] = lines as [string, string, string, string, string, string, string, string];
  const interfaces = addresses.split(" ").filter(Boolean).map((entry) => {
    const match = /^([^=]+)=([0-9.]+)\/([0-9]+)$/.exec(entry);
    if (!match) throw new ProbeParseError("facts", `unknown address entry "${entry}"`, stdout);
    return { device: match[1]!, address: match[2]!, prefixLength: Number(match[3]) };
  });
  return {
    os: { id, version, codename, pretty },
    hostname,
    addresses: interfaces.map((entry) => entry.address),
    interfaces,
    cpus: Number(cpus),
    memoryMiB: Number(memory),
  };
}

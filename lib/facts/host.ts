// Fact: the host itself — OS release, hostname, IPv4 addresses, CPU count and memory.
import { ProbeParseError } from "../resources/resource.ts";

export interface HostFacts {
  os: { id: string; version: string; codename: string; pretty: string };
  hostname: string;
  addresses: string[];
  cpus: number;
  memoryMiB: number;
}

export const hostFactsProbe = [
  `. /etc/os-release`,
  `printf '%s\\n' "$ID" "$VERSION_ID" "\${VERSION_CODENAME:-}" "$PRETTY_NAME" "$(hostname)"`,
  `echo "$(ip -o -4 addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | tr '\\n' ' ')"`,
  `nproc`,
  `awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo`,
].join("\n");

export function parseHostFacts(stdout: string): HostFacts {
  const lines = stdout.split("\n");
  if (lines.length < 8 || !lines[0]) throw new ProbeParseError("facts", "short output", stdout);
  const [id, version, codename, pretty, hostname, addresses, cpus, memory] = lines as [string, string, string, string, string, string, string, string];
  return {
    os: { id, version, codename, pretty },
    hostname,
    addresses: addresses.split(" ").filter(Boolean),
    cpus: Number(cpus),
    memoryMiB: Number(memory),
  };
}

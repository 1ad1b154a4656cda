// Canned host facts of a Debian 12 host: what a synthesis without a connection and the fake transport answer for one.

/** What the host facts probe prints on a Debian 12 (bookworm) host named `hostname` whose eth0 holds `address`/24. */
export function debianFacts(hostname: string, address = "192.168.56.99"): string {
  return [
    "debian",
    "12",
    "bookworm",
    "Debian GNU/Linux 12 (bookworm)",
    hostname,
    "0-1",
    "1048576",
    `2: eth0    inet ${address}/24 brd 192.168.56.255 scope global eth0\\       valid_lft forever preferred_lft forever`,
    "",
  ].join("\n");
}

// ufw's rules as the kernel holds them against the ones ufw stored: an iptables rule deleted or added by hand, or a
// flush, leaves the files as they were, so only a comparison of the loaded chain with user.rules finds it.

/** The probe line: the loaded IPv4 rules of ufw's user chain, `loaded: -A ufw-user-input …` each. */
export const LOADED_RULES_PROBE = [
  "if foobar_ufw_loaded=$(iptables -w -S ufw-user-input 2>/dev/null); then echo chains=loaded",
  `  printf '%s\\n' "$foobar_ufw_loaded" | while read -r foobar_line; do case $foobar_line in "-A "*) echo "loaded: $foobar_line";; esac; done`,
  "else echo chains=absent; fi",
].join("\n");

/** Protocols by number: user.rules names them (`-p vrrp`), iptables 1.8.11 (Debian 13) prints some as numbers (`-p 112`). */
const PROTOCOL_NUMBERS: Record<string, string> = {
  icmp: "1",
  igmp: "2",
  tcp: "6",
  udp: "17",
  ipv6: "41",
  gre: "47",
  esp: "50",
  ah: "51",
  vrrp: "112",
};

/** The options of one `-A ufw-user-input …` rule that decide what it admits, the same however iptables prints them. */
export function ruleSignature(line: string): string {
  const words = line.trim().split(/\s+/);
  const options: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const value = words[index + 1] ?? "";
    if (word === "-A" || word === "-m")
      index++; // the chain; a match module (-m tcp is implied by --dport)
    else if (word.startsWith("-")) {
      index++;
      const address = word === "-s" || word === "-d";
      // user.rules quotes a comment's value ('dapp_OpenSSH'), iptables -S does not.
      const unquoted = value.replace(/^'(.*)'$/, "$1");
      const bare = word === "-p" ? (PROTOCOL_NUMBERS[unquoted] ?? unquoted) : unquoted;
      if (!(address && bare === "0.0.0.0/0"))
        options.push(`${word.replace(/^--(d|s)ports$/, "--$1port")}=${address ? bare.replace(/\/32$/, "") : bare}`);
    }
  }
  return options.sort().join(" ");
}

/** The same rules, in any order, as often each. */
export function sameRules(loaded: readonly string[], stored: readonly string[]): boolean {
  const key = (lines: readonly string[]) => lines.map(ruleSignature).sort().join("\n");
  return key(loaded) === key(stored);
}

// While packages install, the services they bring that the converge starts itself (once their configuration is written)
// are not started by the packages with their defaults: a policy-rc.d (Debian's invoke-rc.d and deb-systemd-invoke
// ask it) denies `start` of those units for the length of the install, then is removed.
import { fullUnitName } from "../facts/unit-batch.ts";
import { quote } from "../shell.ts";

/** Where Debian's service helpers look for the local policy, and where units' files live. */
export interface HoldPaths {
  policy: string;
  unitDirs: readonly string[];
}

const DEBIAN_PATHS: HoldPaths = {
  policy: "/usr/sbin/policy-rc.d",
  unitDirs: ["/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system"],
};

/** Second line of the policy this writes: a policy without it is the administrator's and is left alone. */
export const HOLD_MARK = "# foobar-infra start hold";

/**
 * Shell lines to run before `apt-get install` in the same shell: of `units`, those with no unit file yet (they arrive
 * with this install) are held. The policy answers 101 ("denied") to their `start` only, and 0 to everything else;
 * it allows all once the installing shell is gone (a run killed with SIGKILL leaves no lasting hold), and it is
 * removed when the shell exits, on a signal too. An existing policy-rc.d not written by this is kept and governs.
 */
export function startHoldScript(units: readonly string[], paths: HoldPaths = DEBIAN_PATHS): string {
  if (units.length === 0) return "";
  const names = [...new Set(units.map(fullUnitName))].sort();
  const policy = quote(paths.policy);
  const unitFileTests = paths.unitDirs.map((dir) => `[ -e ${quote(dir)}/"$unit" ]`).join(" || ");
  const policyText = [
    "#!/bin/sh",
    `${HOLD_MARK}: units the converge starts once configured are not started by their packages (installing shell %s)`,
    "kill -0 %s 2>/dev/null || exit 0",
    '[ "$1" = --quiet ] && shift',
    'case "$2" in start|"(start)") ;; *) exit 0 ;; esac',
    'case "$1" in %s) exit 101 ;; esac',
    "exit 0",
  ].join("\\n");
  return [
    "held=",
    `for unit in ${names.map((name) => quote(name)).join(" ")}; do`,
    `  ${unitFileTests} || held="$held|$unit|\${unit%.service}"`,
    "done",
    `if [ -n "$held" ] && { [ ! -e ${policy} ] || sed -n 2p ${policy} | grep -qF ${quote(HOLD_MARK)}; }; then`,
    `  trap 'rm -f ${policy.replace(/'/g, `'\\''`)}' EXIT`,
    "  trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM",
    `  printf '${policyText.replace(/'/g, `'\\''`)}\\n' "$$" "$$" "\${held#|}" > ${policy}`,
    `  chmod 0755 ${policy}`,
    "fi",
  ].join("\n");
}

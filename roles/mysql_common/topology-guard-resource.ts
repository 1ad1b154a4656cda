// Resource: refuse to converge a host against an inventory whose database primary differs from the one the last
// failover promoted here (its marker) — so a converge never silently undoes a failover. Nothing to do otherwise.
import { shellProbe } from "../../lib/facts/probe.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import { quote } from "../../lib/shell.ts";
import { FAILOVER_MARKER, parseMarker, type FailoverMarker } from "./failover-marker.ts";

export interface TopologyExpectation {
  /** Role and host converging, for the message. */
  role: string;
  host: string;
  /** Private address of the primary the inventory (or the role's vars) names. */
  primaryAddress: string;
  /** What the role would do wrong, e.g. "turn it back into a replica of 10.0.0.21 (it holds writes that one lacks)". */
  wouldUndo: string;
}

export function mismatch(marker: FailoverMarker, expected: TopologyExpectation): string {
  return (
    `topology mismatch: failover.ts promoted ${marker.primary} (${marker.primaryAddress}) to database primary at ${marker.at}, replacing ${marker.previous}, ` +
    `but the inventory names ${expected.primaryAddress} as db_primary; ${expected.host} (role ${expected.role}) refuses to ${expected.wouldUndo}. ` +
    `Swap db_primary and db_replica in hosts.ts (db_primary: ${marker.primary}), then converge again`
  );
}

export function topologyGuard(
  expected: TopologyExpectation,
  options: { tags?: string[] } = {},
): Resource<FailoverMarker | undefined> {
  return {
    id: "db-topology-guard",
    ...commonFields(options),
    probe: () => shellProbe(`cat ${FAILOVER_MARKER} 2>/dev/null || true`, [FAILOVER_MARKER]),
    parse: (stdout) => parseMarker(stdout),
    plan: (marker): Change[] =>
      marker && marker.primaryAddress !== expected.primaryAddress ? [{ summary: mismatch(marker, expected) }] : [],
    // Applying is refusing: the task fails with the reason, and the runner stops this host before its next task.
    apply: (marker) => `echo ${quote(`refused: ${mismatch(marker!, expected)}`)} >&2\nexit 1`,
  };
}

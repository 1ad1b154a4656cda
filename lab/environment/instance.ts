// Which lab this process drives: FOOBAR_LAB_INSTANCE=N (1–9) runs a second lab beside the default one,
// on its own subnet (192.168.56+N.0/24) with its own namespaces, state and cgroups — e.g. a CI run next to a dev lab.

function instanceNumber(): number {
  const raw = process.env.FOOBAR_LAB_INSTANCE ?? "";
  if (raw === "" || raw === "0") return 0;
  const number = Number(raw);
  if (!Number.isInteger(number) || number < 1 || number > 9)
    throw new Error(`FOOBAR_LAB_INSTANCE must be 1–9 (or unset), found "${raw}"`);
  return number;
}

export const LAB_INSTANCE = instanceNumber();
/** "" for the default lab, "1"…"9" otherwise: appended to every name the lab creates on the machine. */
export const LAB_SUFFIX = LAB_INSTANCE === 0 ? "" : String(LAB_INSTANCE);
/** First three octets of the lab subnet: 192.168.56 for the default lab. */
export const LAB_PREFIX = `192.168.${56 + LAB_INSTANCE}`;
/** Per-host overlays, logs and daemon PID files of the running lab (lab/paths.ts). */
export const LAB_STATE_DIR = process.env.FOOBAR_LAB_STATE ?? `/var/lib/foobar-lab${LAB_SUFFIX}`;

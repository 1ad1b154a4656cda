// Where the lab keeps its files: machine-wide cache and state, and the repo's .lab/ (keys, known_hosts, CA).
import { join, resolve } from "node:path";
import { LAB_STATE_DIR } from "./environment/instance.ts";

/** Repository root (lab/ is one level below it). */
export const REPO_ROOT = resolve(import.meta.dirname, "..");

/** Built base images and the apt proxy's package cache: survive `down`, shared by every checkout. */
export const CACHE_DIR = process.env.FOOBAR_LAB_CACHE ?? "/var/cache/foobar-lab";
/** Per-host overlays, logs and daemon PID files of the running lab. */
export const STATE_DIR = LAB_STATE_DIR;

/** Files the runner and the tests read: lab SSH key, known_hosts, host keys, Pebble CA. */
export const LAB_DIR = join(REPO_ROOT, ".lab");

export const paths = {
  baseImages: join(CACHE_DIR, "images"),
  aptCache: join(CACHE_DIR, "apt"),
  hostsState: join(STATE_DIR, "hosts"),
  logs: join(STATE_DIR, "logs"),
  pids: join(STATE_DIR, "run"),
  acmeState: join(STATE_DIR, "acme"),
  clientKey: join(LAB_DIR, "ssh", "id_ed25519"),
  knownHosts: join(LAB_DIR, "ssh", "known_hosts"),
  hostKeys: join(LAB_DIR, "hostkeys"),
  pebbleRoot: join(LAB_DIR, "pebble-root.pem"),
  pebbleApiCert: join(LAB_DIR, "pebble-api.pem"),
};

/** Overlay directories of one lab host. */
export function hostDirs(name: string) {
  const root = join(paths.hostsState, name);
  return { root, upper: join(root, "upper"), work: join(root, "work"), merged: join(root, "merged") };
}

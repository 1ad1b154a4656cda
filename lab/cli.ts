// `npm run lab -- up | down | status | ssh HOST [CMD...] | reset HOST...`: the local lab's command line.
import { spawnSync } from "node:child_process";
import { down, reset, status, up } from "./lab.ts";
import { ADMIN_USER, BECOME_SECRET, LAB_SECRETS_FILE, SUDO_ASKS_ON } from "./environment/admin-user.ts";
import { LabDbError } from "./environment/db.ts";
import { LabOsError } from "./environment/os.ts";
import { rootCommand, sshOptions } from "./machine.ts";
import { GATEWAY, SUBNET, labHost, labHosts } from "./topology.ts";
import { tool } from "./requirements.ts";
import { upChoices } from "./up-choices.ts";

const USAGE = `Usage: npm run lab -- <command>

  up [--os OS] [--db DB]
                  build the base images if needed, boot the lab hosts (hosts.ts, lab environment), start the apt proxy
                  and Pebble; OS is debian13 (the default) or debian12, also as FOOBAR_LAB_OS; DB is the database hosts'
                  mariadb (the default) or mysql (Debian's mysql-server, on Debian unstable), also as FOOBAR_LAB_DB
  down            stop everything and remove namespaces, mounts, cgroups and state (caches are kept)
  status          show what runs
  reset HOST...   give hosts a pristine root filesystem (same SSH host key) and boot them again
  ssh HOST [CMD]  log in as the admin user (debian) and open a root shell with sudo (or run CMD as root)

The lab needs root. Hosts are on ${SUBNET}, reachable from this machine over ${GATEWAY.link} (${GATEWAY.address}).
FOOBAR_LAB_INSTANCE=1..9 drives a second lab beside the default one (its own subnet and names).`;

/** Exit code of a usage error (README's exit codes: 4 is invalid input; 2 only means "something would change"). */
const USAGE_ERROR = 4;

/** A usage error: its message and the usage on stderr. */
function usageError(message: string): number {
  console.error(`lab: ${message}\n\n${USAGE}`);
  return USAGE_ERROR;
}

/** The names that are no lab host, said in words, or undefined when all are. */
function unknownHosts(names: string[]): string | undefined {
  const known = labHosts().map((host) => host.name);
  const unknown = names.filter((name) => !known.includes(name));
  return unknown.length === 0
    ? undefined
    : `no lab host ${unknown.map((name) => `"${name}"`).join(", ")} (lab hosts: ${known.join(", ")})`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "up": {
      const choices = upChoices(rest);
      if (typeof choices === "string") return usageError(`up: ${choices}`);
      await up(console.log, undefined, choices.release, choices.db);
      return 0;
    }
    case "down":
      await down();
      return 0;
    case "reset":
      if (rest.length === 0) return usageError("reset: name at least one host");
      if (unknownHosts(rest)) return usageError(`reset: ${unknownHosts(rest)}`);
      await reset(rest);
      return 0;
    case "status": {
      const state = status();
      for (const host of state.hosts)
        console.log(
          `${host.name.padEnd(8)} ${host.address.padEnd(15)} ${host.running ? `running (pid ${host.pid})` : "stopped"}${host.stray ? "  no longer in hosts.ts: `npm run lab -- down` removes it" : ""}`,
        );
      if (state.os) console.log(`os: ${state.os.release} (${state.os.name})`);
      if (state.db) console.log(`database hosts: ${state.db.label} (${state.db.name})`);
      console.log(
        `apt proxy: ${state.aptProxy ? "running" : "stopped"}; pebble: ${state.acme ? "running" : "stopped"}`,
      );
      return 0;
    }
    case "ssh": {
      if (!rest[0]) return usageError("ssh: name a host");
      if (unknownHosts([rest[0]])) return usageError(`ssh: ${unknownHosts([rest[0]])}`);
      const host = labHost(rest[0]);
      if (rest.length === 1) {
        if (host.name === SUDO_ASKS_ON)
          console.error(
            `${host.name}: sudo asks for ${ADMIN_USER}'s password: ${BECOME_SECRET} in ${LAB_SECRETS_FILE}`,
          );
        return (
          spawnSync(tool("ssh"), [...sshOptions(), "-t", `${ADMIN_USER}@${host.address}`, "sudo -i"], {
            stdio: "inherit",
          }).status ?? 1
        );
      }
      const { args, input } = rootCommand(host, rest.slice(1).join(" "));
      return spawnSync(tool("ssh"), args, { input, stdio: ["pipe", "inherit", "inherit"] }).status ?? 1;
    }
    case undefined:
      return usageError("name a command");
    case "-h":
    case "--help":
      console.log(USAGE);
      return 0;
    default:
      return usageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = error instanceof LabOsError || error instanceof LabDbError ? USAGE_ERROR : 1;
  },
);

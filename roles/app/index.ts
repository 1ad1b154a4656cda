// Role app: ships the foobar.com code base as a release, switches `current`, runs it under systemd.
import { join, posix } from "node:path";
import { defineRole } from "../../lib/dsl/role.ts";
import { sh } from "../../lib/shell.ts";
import { databaseCa } from "../mysql_common/tls.ts";
import { topologyGuard } from "../mysql_common/topology-guard-resource.ts";
import { readRelease } from "./release.ts";
import { schema } from "./schema.ts";
import { appSocket } from "./socket-resource.ts";

export const SERVICE = "foobar-app.service";
/** systemd's listening socket for the app: open across the service's restarts. */
export const SOCKET = "foobar-app.socket";
export const ENV_FILE = "/etc/foobar/app.env";
/** The database CA's certificate on a web host: the app verifies the database servers against it. */
export const DB_CA_FILE = "/etc/foobar/db-ca.pem";
/** The bundle's entry file inside a release. */
export const ENTRY = "server.js";
/** Tag of the resources that point the app at its databases (failover.ts re-points with only these). */
export const DATABASE_TAG = "app_database";
const REPO_ROOT = join(import.meta.dirname, "..", "..");

export default defineRole({
  name: "app",
  dir: import.meta.dirname,
  schema,
  tags: [DATABASE_TAG],
  tasks: ({ r, vars, host, inventory }) => {
    const release = readRelease(vars.build_dir, REPO_ROOT);
    const version = vars.version ?? release.version;
    const releaseDir = posix.join(vars.root, "releases", version);
    // Writes go to the primary, reads to the replica: from the vars, else from the inventory's db groups.
    const firstOf = (group: string) =>
      inventory.groups[group] ? inventory.group(group)[0]?.privateAddress : undefined;
    const primary = vars.db_primary_host ?? firstOf("db_primary");
    const replica = vars.db_replica_host ?? firstOf("db_replica") ?? primary;
    // The name each server's certificate carries: the inventory host with that private address (or the address).
    const nameOf = (address: string) =>
      inventory.hosts.find((item) => item.privateAddress === address)?.name ?? address;
    const db =
      primary && replica ? { primary, replica, primaryName: nameOf(primary), replicaName: nameOf(replica) } : undefined;
    const data = {
      data: { version, entry: posix.join(vars.root, "current", ENTRY), db: db ?? null, db_ca_file: DB_CA_FILE },
    };
    return [
      ...(db
        ? [
            topologyGuard(
              {
                role: "app",
                host: host.name,
                primaryAddress: db.primary,
                wouldUndo: `point the app's writes at ${db.primary}`,
              },
              { tags: [DATABASE_TAG] },
            ),
          ]
        : []),
      r.package("nodejs"),
      r.package("curl"), // the unit's readiness check and deploy.ts's health probe
      r.user(vars.user, { system: true, home: vars.root }),
      r.directory(vars.root, { owner: "root", group: "root", mode: "0755" }),
      r.directory(posix.join(vars.root, "releases"), { owner: "root", group: "root", mode: "0755" }),
      r.directory(releaseDir, { owner: "root", group: "root", mode: "0755" }),
      ...release.directories.map((dir) =>
        r.directory(posix.join(releaseDir, dir), { owner: "root", group: "root", mode: "0755" }),
      ),
      ...[...release.files].map(([name, content]) =>
        r.file(posix.join(releaseDir, name), content, { owner: "root", group: "root", mode: "0644" }),
      ),
      r.directory("/etc/foobar", { owner: "root", group: "root", mode: "0755" }),
      ...(db
        ? [
            r.file(DB_CA_FILE, databaseCa(vars.db_ca_key).certificate, {
              owner: "root",
              group: "root",
              mode: "0644",
              notify: "restart app",
              tags: [DATABASE_TAG],
            }),
          ]
        : []),
      r.template(ENV_FILE, "app.env.ejs", {
        owner: "root",
        group: "root",
        mode: "0600",
        sensitive: true,
        notify: "restart app",
        tags: [DATABASE_TAG],
        ...data,
      }),
      r.systemdUnit(SOCKET, r.render("foobar-app.socket.ejs"), { notify: ["restart app socket", "restart app"] }),
      r.systemdUnit(SERVICE, r.render("foobar-app.service.ejs", data.data), { notify: "restart app" }),
      r.symlink(posix.join(vars.root, "current"), releaseDir, { notify: "restart app" }),
      r.command(
        "prune old releases",
        sh`cd ${posix.join(vars.root, "releases")} && ls -1t | grep -vxF ${version} | tail -n +${vars.keep_releases} | xargs -r rm -rf --`,
        {
          onlyIf: sh`[ "$(ls -1 ${posix.join(vars.root, "releases")} | wc -l)" -gt ${vars.keep_releases} ]`,
          dependsOn: [posix.join(vars.root, "releases")],
          description: `keep the last ${vars.keep_releases} releases`,
        },
      ),
      appSocket(SOCKET, SERVICE),
      r.service(SERVICE, { state: "started", enabled: true }),
    ];
  },
  handlers: {
    // A new address: the app stops with the old socket (Requires=); "restart app", notified too, starts it on the new one.
    "restart app socket": ({ r }) => r.serviceAction(SOCKET, "restarted"),
    "restart app": ({ r }) => r.serviceAction(SERVICE, "restarted"),
  },
});

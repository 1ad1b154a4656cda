// Role haproxy: the load balancer over the web tier (HTTPS, HTTP -> HTTPS), health checks, stats, metrics, runtime API.
import { keyOptionValue } from "../../lib/encode.ts";
import { posix } from "node:path";
import { defineRole } from "../../lib/dsl/role.ts";
import {
  certificatePeers,
  certificateSyncKey,
  INSTALL_PEM,
  peerHostKeys,
  receiptOf,
  SYNC_DIR,
  SYNC_KEY,
  SYNC_KNOWN_HOSTS,
} from "./peers.ts";
import { BACKEND, RUNTIME_SOCKET } from "./runtime.ts";
import { schema, TLS_PEM } from "./schema.ts";
import { frontendsOpen } from "./frontend-state-resource.ts";
import { backendServers } from "./server-state-resource.ts";
import { configuredFrontends, configuredServers } from "./configured.ts";

export { BACKEND };
/** Servers' runtime states saved by a reload for the new workers (see templates/server-state.conf.ejs). */
const SERVER_STATE_FILE = "/var/lib/haproxy/server-state";
/** Answered by HAProxy itself on the HTTP frontend (200): role keepalived's check that this load balancer serves. */
export const MONITOR_URI = "/.well-known/foobar-lb-alive";
export { TLS_PEM };

export default defineRole({
  name: "haproxy",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, inventory }) => {
    const peers = certificatePeers(inventory, host, vars.lb_group);
    // The leader's certbot answers the http-01 challenge; the others pass it on to the leader's HAProxy,
    // so it succeeds whichever load balancer holds the VIP.
    const acmeChallengeAddress = peers.isLeader
      ? vars.acme_challenge_address
      : `${peers.leader.privateAddress}:${vars.http_port}`;
    const syncKey = certificateSyncKey(vars.cert_sync_secret);
    const backends = inventory
      .group(vars.backend_group)
      .map((web) => ({ name: web.name, address: web.privateAddress }));
    return [
      r.package("haproxy"),
      r.package("socat"), // talks to the runtime API socket (deploy.ts drains servers through it)
      r.package("openssl"),
      r.directory(posix.dirname(vars.tls_pem), { owner: "root", group: "root", mode: "0700" }),
      // HAProxy must start before any real certificate exists (certbot's http-01 challenge goes through it):
      // a self-signed placeholder, made once; certbot's deploy hook (or the leader's push) replaces the file.
      r.command("placeholder TLS certificate", r.render("placeholder-pem.sh.ejs"), {
        creates: vars.tls_pem,
        description: `self-signed placeholder ${vars.tls_pem}`,
      }),
      r.file(INSTALL_PEM, r.render("install-pem.sh.ejs", { receipt: receiptOf(vars.tls_pem) }), { mode: "0755" }),
      // The load balancers reach each other's installer (the leader pushes, a follower that lacks the PEM pulls):
      // their shared key may run it and nothing else, from the other load balancers' addresses only.
      r.directory(SYNC_DIR, { mode: "0700" }),
      r.template(SYNC_KEY, "sync-key.ejs", { data: { private_key: syncKey.privateKey }, mode: "0600" }),
      r.file(SYNC_KNOWN_HOSTS, peerHostKeys(peers.others), { mode: "0644" }),
      r.line(
        "/root/.ssh/authorized_keys",
        `restrict,from=${keyOptionValue(peers.others.map((peer) => peer.privateAddress).join(","))},command=${keyOptionValue(INSTALL_PEM)} ${syncKey.publicKey}`,
        {
          regexp: / foobar-cert-sync$/,
          state: peers.others.length > 0 ? "present" : "absent",
        },
      ),
      r.systemdDropIn(
        "haproxy.service",
        "foobar-server-state",
        r.render("server-state.conf.ejs", { state_file: SERVER_STATE_FILE, runtime_socket: RUNTIME_SOCKET }),
      ),
      r.template("/etc/haproxy/haproxy.cfg", "haproxy.cfg.ejs", {
        mode: "0640",
        group: "haproxy",
        validate: "haproxy -c -f %s",
        notify: "reload haproxy",
        data: {
          backends,
          stats_bind: vars.stats_address ?? host.privateAddress,
          runtime_socket: RUNTIME_SOCKET,
          server_state_file: SERVER_STATE_FILE,
          monitor_uri: MONITOR_URI,
          acme_challenge_server: acmeChallengeAddress,
          backend_name: BACKEND,
        },
      }),
      r.service("haproxy", { state: "started", enabled: true }),
      frontendsOpen(configuredFrontends(vars)),
      backendServers(configuredServers(vars, backends)),
    ];
  },
  handlers: {
    // Debian's unit runs haproxy in master-worker mode: reload hands the listening sockets over, no connection is dropped.
    "reload haproxy": ({ r }) => r.serviceAction("haproxy", "reloaded"),
  },
});

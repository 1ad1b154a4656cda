// Runtime state as the roles probe it: the database globals the config sets (SET GLOBAL when changed live), HAProxy's
// servers (maint, drain, weight) put back unless a drain mark holds them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { frontendsOpen, parseFrontends } from "../../roles/haproxy/frontend-state-resource.ts";
import { configuredFrontends, configuredServers } from "../../roles/haproxy/configured.ts";
import { backendServers, parseBackend, parseServersState } from "../../roles/haproxy/server-state-resource.ts";
import { drainWithMark, parseDrainMarks, parseServerStat } from "../../roles/haproxy/runtime.ts";
import { MARIADB, MYSQL } from "../../roles/mysql_common/flavor.ts";
import { dbRuntimeSettings } from "../../roles/mysql_common/runtime-settings-resource.ts";
import { liveSettings } from "../../roles/mysql_common/server-config.ts";
import { partsOf } from "../../lib/facts/probe.ts";
import { DB_02 } from "./support/db-server.ts";

const decode = (script: string) =>
  [...script.matchAll(/<<'__FOOBAR_B64__'[^\n]*\n([\s\S]*?)__FOOBAR_B64__/g)]
    .map((match) => Buffer.from(match[1]!.replace(/\n/g, ""), "base64").toString())
    .join("\n");
const options = DB_02;
const names = (settings: { name: string }[]) => settings.map((setting) => setting.name);

test("live settings: what SET GLOBAL can change, in file order; settings read at start are left to the restart", () => {
  assert.equal(names(liveSettings(MARIADB, { ...options, role: "replica" })), [
    "server_id",
    "max_connections",
    "character_set_server",
    "collation_server",
    "binlog_format",
    "binlog_expire_logs_seconds",
    "require_secure_transport",
    "gtid_strict_mode",
    "read_only",
  ]);
  assert.equal(names(liveSettings(MYSQL, { ...options, role: "replica" })).slice(-3), [
    "enforce_gtid_consistency",
    "read_only",
    "super_read_only",
  ]);
  assert.equal(liveSettings(MYSQL, { ...options, role: "primary" }).slice(-2), [
    { name: "super_read_only", value: "OFF" },
    { name: "read_only", value: "OFF" },
  ]);
  for (const flavor of [MARIADB, MYSQL]) {
    const live = names(liveSettings(flavor, { ...options, role: "replica" }));
    const atStart =
      "bind_address skip_name_resolve log_bin relay_log log_slave_updates log_replica_updates gtid_mode ssl_ca ssl_cert ssl_key tls_version";
    for (const name of atStart.split(" ")) assert.not.ok(live.includes(name), name);
  }
});

test("db runtime settings: a replica made writable and a changed global are planned and set back; equal values in other spellings are not", () => {
  const resource = dbRuntimeSettings(MARIADB, liveSettings(MARIADB, { ...options, role: "replica" }));
  assert.equal(
    partsOf(resource.probe({ diff: false })).map((part) => part.kind),
    ["sql"],
    "answered from the database host's one SQL session",
  );
  const running =
    "server_id\t22\nmax_connections\t17\ncharacter_set_server\tutf8mb4\ncollation_server\tutf8mb4_unicode_ci\nbinlog_format\trow\nbinlog_expire_logs_seconds\t604800\ngtid_strict_mode\t1\nread_only\t0\n";
  const state = resource.parse(running, 0);
  assert.equal(
    resource.plan(state, { diff: false }).map((change) => change.summary),
    ["max_connections: 17 -> 200 (live)", "read_only: 0 -> ON (live)"],
  );
  assert.is(decode(resource.apply(state)), "SET GLOBAL max_connections = 200;\nSET GLOBAL read_only = ON;");
  assert.equal(
    resource.plan(
      resource.parse(
        running.replace("max_connections\t17", "max_connections\t200").replace("read_only\t0", "read_only\t1"),
        0,
      ),
      { diff: false },
    ),
    [],
  );
  assert.equal(
    resource.plan(resource.parse("", 0), { diff: false }),
    [],
    "a server that does not answer: nothing to compare (the service resource starts it)",
  );
  const primary = dbRuntimeSettings(MYSQL, liveSettings(MYSQL, { ...options, role: "primary" }));
  const fenced = primary.parse("binlog_format\tMIXED\nsuper_read_only\t1\nread_only\t1\n", 0);
  assert.is(
    decode(primary.apply(fenced)),
    "SET GLOBAL binlog_format = 'ROW';\nSET GLOBAL super_read_only = OFF;\nSET GLOBAL read_only = OFF;",
  );
});

const SERVERS_STATE = [
  "1",
  "# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port",
  "5 foobar_web 1 web-01 192.168.56.11 0 1 1 1 67 15 3 3 6 0 0 0 - 80 - 0 0 - - 0",
  "5 foobar_web 2 web-02 192.168.56.12 2 0 0 1 67 15 3 3 6 0 0 0 - 80 - 0 0 - - 0",
  "5 foobar_web 3 web-03 192.168.56.13 2 8 1 1 67 15 3 3 6 0 0 0 - 80 - 0 0 - - 0",
  "5 foobar_web 4 web-04 192.168.56.14 2 4 1 1 67 15 3 3 6 0 0 0 - 80 - 0 0 - - 0",
].join("\n");

/** The web backend as haproxy.cfg declares it for four web hosts. */
const WEB_SERVERS = configuredServers(
  { backend_port: 80, extra_backend: [] },
  [11, 12, 13, 14].map((octet) => ({
    name: `web-${String(octet - 10).padStart(2, "0")}`,
    address: `192.168.56.${octet}`,
  })),
);

test("show servers state: forced maint and drain, user weight against the configured one; a server disabled in the config is not forced", () => {
  const server = (name: string, admin: string, weight: number, address: string) => ({
    name,
    admin,
    weight,
    configuredWeight: 1,
    address,
    port: 80,
    checkDisabled: false,
    maxconn: 0,
  });
  assert.equal(parseServersState(SERVERS_STATE), [
    server("web-01", "maint", 1, "192.168.56.11"),
    server("web-02", "ready", 0, "192.168.56.12"),
    server("web-03", "drain", 1, "192.168.56.13"),
    server("web-04", "ready", 1, "192.168.56.14"),
  ]);
  assert.equal(parseServersState("Can't find backend.\n"), []);
});

test("backend servers: put back what no drain holds; a drain in progress is left alone until its mark expires", () => {
  const resource = backendServers(WEB_SERVERS);
  const marks = (until: number) => `mark web-03 until=${until} holder=deploy.ts:debian@ctl\n`;
  const held = resource.parse(`${SERVERS_STATE}\n${marks(2000)}now 1000\n`, 0);
  assert.equal(
    resource.plan(held, { diff: false }).map((change) => change.summary),
    ["web-01: maint -> ready (no drain in progress)", "web-02: weight 0 -> 1"],
  );
  const apply = resource.apply(held);
  assert.match(apply, /set server foobar_web\/web-01 state ready/);
  assert.match(apply, /set server foobar_web\/web-02 weight 1/);
  assert.not.match(apply, /web-03/);
  const expired = resource.parse(`${SERVERS_STATE}\n${marks(999)}now 1000\n`, 0);
  assert.ok(
    resource
      .plan(expired, { diff: false })
      .some((change) => change.summary === "web-03: drain -> ready (the drain by deploy.ts:debian@ctl expired)"),
  );
  assert.match(
    resource.apply(expired),
    /set server foobar_web\/web-03 state ready[\s\S]*rm -f '?\/run\/foobar\/haproxy-drains\/foobar_web\.web-03/,
  );
  assert.equal(
    resource.plan(resource.parse("now 1000\n", 0), { diff: false }),
    [],
    "HAProxy not running yet: nothing to put back",
  );
});

test("frontends: one disabled at runtime is enabled again; HAProxy not answering plans nothing", () => {
  const csv =
    "# pxname,svname,qcur,scur,slim,status,type\nfoobar_http,FRONTEND,,,4096,OPEN,0\nfoobar_https,FRONTEND,,,4096,PAUSED,0\nstats,FRONTEND,,,4096,OPEN,0\n";
  assert.equal(
    [...parseFrontends(csv)].map(([name, frontend]) => `${name} ${frontend.status}`),
    ["foobar_http OPEN", "foobar_https PAUSED", "stats OPEN"],
  );
  const resource = frontendsOpen(
    configuredFrontends({ maxconn: 4096, extra_global: [], extra_defaults: [], extra_frontend: [] }),
  );
  const state = resource.parse(csv, 0);
  assert.equal(
    resource.plan(state, { diff: false }).map((change) => change.summary),
    ["foobar_https: PAUSED -> OPEN (disabled at runtime)"],
  );
  assert.match(
    resource.apply(state),
    /^echo 'enable frontend foobar_https' \| socat -t 5 stdio \/run\/haproxy\/admin\.sock$/,
  );
  assert.equal(resource.plan(resource.parse("", 0), { diff: false }), []);
});

test("every server field the config sets: address and port, health checks, maxconn, servers added or deleted at runtime", () => {
  const resource = backendServers(WEB_SERVERS.slice(0, 3));
  const running = [
    "1",
    SERVERS_STATE.split("\n")[1],
    // web-01 moved onto web-02's address and another port; web-02 with checks disabled; web-03 with a maxconn; web-04 and evil not configured
    "5 foobar_web 1 web-01 192.168.56.12 2 0 1 1 67 15 3 3 6 0 0 0 - 8080 - 0 0 - - 0",
    "5 foobar_web 2 web-02 192.168.56.12 2 0 1 1 67 15 3 3 2 0 0 0 - 80 - 0 0 - - 0",
    "5 foobar_web 3 web-03 192.168.56.13 2 0 1 1 67 15 3 3 7 0 0 0 - 80 - 0 0 - - 0",
    "5 foobar_web 4 evil 192.168.56.99 2 0 1 1 67 15 3 3 6 0 0 0 - 80 - 0 0 - - 0",
    "",
    "# pxname,svname,qcur,qmax,scur,smax,slim,stot",
    "foobar_web,web-01,0,0,0,1,,14",
    "foobar_web,web-02,0,0,0,1,,14",
    "foobar_web,web-03,0,0,0,1,7,14",
    "foobar_web,evil,0,0,0,1,,0",
    "now 1000",
  ].join("\n");
  assert.equal(
    parseBackend(running).map((server) => [server.name, server.checkDisabled, server.maxconn]),
    [
      ["web-01", false, 0],
      ["web-02", true, 0],
      ["web-03", false, 7],
      ["evil", false, 0],
    ],
    "srv_check_state 7 is a check in progress, not a disabled one",
  );
  const state = resource.parse(running, 0);
  assert.equal(
    resource.plan(state, { diff: false }).map((change) => change.summary),
    [
      "web-01: address 192.168.56.12:8080 -> 192.168.56.11:80",
      "web-02: health checks disabled -> enabled",
      "web-03: maxconn 7 -> 0",
      "evil: not in the config (added at runtime) -> deleted",
    ],
  );
  const apply = resource.apply(state);
  for (const command of [
    "set server foobar_web/web-01 addr 192.168.56.11 port 80",
    "enable health foobar_web/web-02",
    "set maxconn server foobar_web/web-03 0",
    "set server foobar_web/evil state maint",
    "del server foobar_web/evil",
  ])
    assert.ok(apply.includes(`echo '${command}' | socat`), `${command}:\n${apply}`);
  const deleted = backendServers(WEB_SERVERS).parse(SERVERS_STATE.replace(/\n5 foobar_web 4 web-04 .*/, ""), 0);
  assert.ok(
    backendServers(WEB_SERVERS)
      .plan(deleted, { diff: false })
      .some((change) => change.summary === "web-04: absent at runtime (deleted) -> reload"),
  );
  assert.match(backendServers(WEB_SERVERS).apply(deleted), /^systemctl reload haproxy$/m);
});

test("configured values: extra_backend's default-server maxconn and server lines, extra_* maxconn and rate limits", () => {
  assert.equal(
    configuredServers(
      { backend_port: 8080, extra_backend: ["default-server maxconn 50", "server spare 10.0.0.40:81 check"] },
      [{ name: "web-01", address: "10.0.0.11" }],
    ),
    [
      { name: "web-01", address: "10.0.0.11", port: 8080, check: true, maxconn: 50 },
      { name: "spare", address: "10.0.0.40", port: 81, check: true, maxconn: 50 },
    ],
  );
  const frontends = configuredFrontends({
    maxconn: 4096,
    extra_global: ["maxsslrate 100"],
    extra_defaults: ["maxconn 2000"],
    extra_frontend: ["maxconn 1000"],
  });
  assert.equal(
    [...frontends.maxconn],
    [
      ["foobar_http", 2000],
      ["foobar_https", 1000],
      ["stats", 2000],
    ],
  );
  assert.equal(frontends.global, { Maxconn: 4096, ConnRateLimit: 0, SessRateLimit: 0, SslRateLimit: 100 });
});

test("frontends' maxconn and the global limits changed at runtime are set back; show info read from the same answer", () => {
  const resource = frontendsOpen(
    configuredFrontends({ maxconn: 4096, extra_global: [], extra_defaults: [], extra_frontend: [] }),
  );
  const answer = [
    "# pxname,svname,qcur,scur,slim,status",
    "foobar_http,FRONTEND,,,4096,OPEN",
    "foobar_https,FRONTEND,,,5,OPEN",
    "",
    "Name: HAProxy",
    "Maxconn: 10",
    "Hard_maxconn: 4096",
    "ConnRateLimit: 3",
    "SessRateLimit: 0",
    "SslRateLimit: 0",
  ].join("\n");
  const state = resource.parse(answer, 0);
  assert.equal(
    resource.plan(state, { diff: false }).map((change) => change.summary),
    ["foobar_https: maxconn 5 -> 4096", "global Maxconn: 10 -> 4096", "global ConnRateLimit: 3 -> 0"],
  );
  const stopped = resource.parse(
    answer.replace("foobar_http,FRONTEND,,,4096,OPEN", "foobar_http,FRONTEND,,,4096,STOP"),
    0,
  );
  assert.ok(
    resource
      .plan(stopped, { diff: false })
      .some((change) => change.summary === "foobar_http: STOP -> OPEN (shut down at runtime: reload)"),
  );
  assert.match(
    resource.apply(stopped),
    /^systemctl reload haproxy$/m,
    "a shut-down listener comes back with a reload only",
  );
  const apply = resource.apply(state);
  for (const command of [
    "set maxconn frontend foobar_https 4096",
    "set maxconn global 4096",
    "set rate-limit connections global 0",
  ])
    assert.ok(apply.includes(`echo '${command}' | socat`), command);
});

test("show stat of the web backend: one server's status and current sessions; absent when not listed or no header", () => {
  const csv =
    "# pxname,svname,qcur,scur,status\nfoobar_web,web-01,0,3,DRAIN\nfoobar_web,web-02,0,0,UP\nacme_challenge,certbot,0,0,no check\n";
  assert.equal(parseServerStat(csv, "web-01"), { status: "DRAIN", sessions: 3 });
  assert.equal(parseServerStat(csv, "web-02"), { status: "UP", sessions: 0 });
  assert.is(parseServerStat(csv, "certbot"), undefined, "another backend's server");
  assert.is(parseServerStat("Unknown command\n", "web-01"), undefined);
});

test("drain marks: written before the drain, one word per holder, read back", () => {
  const command = drainWithMark("web-01", { holder: "deploy.ts:ops team@ctl", until: 1234 });
  assert.match(
    command,
    /echo 'until=1234 holder=deploy\.ts:ops_team@ctl' > \/run\/foobar\/haproxy-drains\/foobar_web\.web-01 && echo 'set server foobar_web\/web-01 state drain'/,
  );
  assert.equal(
    [...parseDrainMarks("mark web-01 until=1234 holder=deploy.ts:ops_team@ctl\nnoise\n")],
    [["web-01", { until: 1234, holder: "deploy.ts:ops_team@ctl" }]],
  );
});

test.run();

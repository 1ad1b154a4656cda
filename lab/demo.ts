// `npm run demo`: bring the lab up, converge www.foobar.com on it with site.ts, then show that it works.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as plainRequest } from "node:http";
import { request } from "node:https";
import { join } from "node:path";
import { buildApp } from "../app/build.ts";
import { up } from "./lab.ts";
import { chooseLabOs } from "./os-choice.ts";
import { rootCommand } from "./machine.ts";
import { paths, REPO_ROOT } from "./paths.ts";
import { SITE_NAMES, SUBNET, labHosts, siteAddress, type LabHost } from "./topology.ts";
import { tool } from "./requirements.ts";

/** Run `command` as root on a lab host (its admin user, then sudo), output captured. */
function asRoot(host: LabHost, command: string) {
  const { args, input } = rootCommand(host, command);
  return spawnSync(tool("ssh"), args, { input, encoding: "utf8" });
}

/** GET https://www.foobar.com<path> at `address`, the certificate checked against the lab's ACME root. */
function get(address: string, path: string): Promise<{ status: number; servedBy: string; body: string }> {
  return new Promise((resolve, reject) => {
    const options = {
      hostname: address,
      servername: SITE_NAMES[0],
      path,
      headers: { host: SITE_NAMES[0] },
      ca: readFileSync(paths.pebbleRoot, "utf8"),
      agent: false,
      timeout: 5000,
    };
    const req = request(options, (res) => {
      let body = "";
      res
        .setEncoding("utf8")
        .on("data", (chunk: string) => (body += chunk))
        .on("end", () =>
          resolve({ status: res.statusCode ?? 0, servedBy: String(res.headers["x-served-by"] ?? "-"), body }),
        );
    });
    req.on("error", reject).on("timeout", () => req.destroy(new Error(`timeout: https://${address}${path}`)));
    req.end();
  });
}

/** GET http://www.foobar.com<path> at `address` (answered with a redirect to https). */
function plainGet(address: string, path: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = plainRequest(
      { hostname: address, path, headers: { host: SITE_NAMES[0] }, agent: false, timeout: 5000 },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on("error", reject).on("timeout", () => req.destroy(new Error(`timeout: http://${address}${path}`)));
    req.end();
  });
}

function step(title: string): void {
  console.log(`\n== ${title}`);
}

async function main(): Promise<number> {
  const os = chooseLabOs();
  step(`lab: ${labHosts().length} ${os.release} hosts booted with systemd-nspawn on ${SUBNET}`);
  await up(console.log, undefined, os);
  step("build the code base (app/ → app/dist)");
  await buildApp();
  step("converge: bin/foobar-infra site -i lab");
  const site = spawnSync(join(REPO_ROOT, "bin/foobar-infra"), ["site", "-i", "lab"], {
    stdio: "inherit",
    cwd: REPO_ROOT,
  });
  if (site.status !== 0) {
    console.error(`site.ts failed (exit ${site.status}); the lab stays up for a look: npm run lab -- ssh HOST`);
    return site.status ?? 1;
  }
  const vip = siteAddress();
  step(
    `https://www.foobar.com/ is served on the load balancers' virtual IP ${vip} (held by one LB at a time, VRRP; the hosts resolve www.foobar.com to it; certificate from the lab's ACME server)`,
  );
  const served: string[] = [];
  for (let index = 0; index < 6; index++) {
    const reply = await get(vip, "/");
    served.push(`${reply.status} ${reply.servedBy}`);
  }
  console.log(`6 requests through HAProxy, X-Served-By: ${served.join(", ")}`);
  console.log(`health: ${(await get(vip, "/health")).body}`);
  console.log(`http:// answers: ${(await plainGet(vip, "/")).status} (redirect to https)`);
  const holder = labHosts()
    .filter((host) => host.name.startsWith("lb-"))
    .find((host) => asRoot(host, "ip -o -4 addr show").stdout.includes(` ${vip}/`));
  console.log(
    `the VIP is on ${holder?.name ?? "no load balancer (!)"}; stop HAProxy there and the other one takes it within ~2 s`,
  );
  const replica = labHosts().find((host) => host.name === "db-02");
  if (replica) {
    step("replication on db-02 (asynchronous, read-only replica of db-01)");
    const status = asRoot(
      replica,
      "mariadb -e 'SHOW REPLICA STATUS\\G' | grep -E 'Master_Host|Slave_(IO|SQL)_Running:|Seconds_Behind|Using_Gtid'; mariadb -NBe 'SELECT CONCAT(\"read_only=\", @@read_only)'",
    );
    console.log(status.stdout.trimEnd() || status.stderr);
  }
  step("next");
  console.log(
    [
      "  re-run the converge (0 changed):     bin/foobar-infra site -i lab",
      "  see what drifted without changing:   bin/foobar-infra site -i lab --check --diff",
      "  zero-downtime rolling deploy:        bin/foobar-infra deploy -i lab",
      "  a shell on a host:                   npm run lab -- ssh web-01",
      "  the topology as a diagram:           bin/foobar-infra graph -i lab",
      "  tear the lab down:                   npm run lab -- down",
    ].join("\n"),
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  },
);

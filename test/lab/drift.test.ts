// Eight kinds of drift across the five service hosts: --check (exit 2) lists exactly them, a converge repairs them,
// the next --check exits 0 and the site works end to end again.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { changedTaskIds, converge, eventually, host, http, mustOnHost, SITE_URL } from "./harness.ts";

test("eight kinds of drift are listed by --check, repaired by a converge, and gone", async () => {
  const baseline = await converge("site");
  assert.is(baseline.exitCode, 0, baseline.output);
  const web02 = host("web-02").privateAddress;
  await mustOnHost("web-01", "echo '# drift' >> /etc/nginx/sites-available/foobar"); // 1 edited nginx file
  await mustOnHost("lb-01", "systemctl stop haproxy"); // 2 stopped haproxy
  await mustOnHost("db-01", "ufw disable"); // 3 disabled firewall
  await mustOnHost(
    "db-01",
    `mariadb -e "SET SESSION sql_log_bin=0; REVOKE INSERT ON foobar.* FROM 'foobar_app'@'${web02}'"`,
  ); // 4 dropped grant
  await mustOnHost("db-02", "mariadb -e 'STOP REPLICA'"); // 5 stopped replication
  await mustOnHost("lb-01", "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q socat >/dev/null"); // 6 removed package
  await mustOnHost("web-02", "chmod 0644 /etc/foobar/app.env"); // 7 changed file mode (of a secret file)
  await mustOnHost("lb-01", "rm -f /etc/haproxy/certs/foobar.pem"); // 8 removed certificate PEM

  const expected = [
    "db-01: db-user:foobar_app@" + web02,
    "db-01: ufw:firewall",
    "db-02: db-replication",
    "lb-01: command:haproxy PEM from the live certificate",
    "lb-01: command:placeholder TLS certificate",
    "lb-01: package:certbot,curl,haproxy,keepalived,nftables,openssh-server,openssl,prometheus-node-exporter,socat,ufw", // the host's packages are one resource
    "lb-01: service:haproxy",
    "web-01: template:/etc/nginx/sites-available/foobar",
    "web-02: template:/etc/foobar/app.env",
  ].sort();
  const check = await converge("site", ["--check"]);
  assert.is(check.exitCode, 2, check.output);
  assert.equal(changedTaskIds(check.events, "tasks").sort(), expected);

  const repair = await converge("site");
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(changedTaskIds(repair.events, "tasks").sort(), expected);

  const after = await converge("site", ["--check"]);
  assert.is(after.exitCode, 0, after.changedTasks.join("\n"));
  assert.match(await mustOnHost("db-01", "ufw status"), /Status: active/);
  assert.match(await mustOnHost("web-02", "stat -c %a /etc/foobar/app.env"), /^600/);
  assert.ok(
    await eventually(async () => {
      const served = new Set<string>();
      for (let index = 0; index < 4; index++) {
        const reply = await http(SITE_URL);
        if (reply.status !== 200) return false;
        served.add(String(reply.headers["x-served-by"]));
      }
      return served.size === 2;
    }, 20_000),
    "the site serves over HTTPS from both web hosts again",
  );
});

test.run();

// The database roles' TLS, synthesised for the lab: the site CA on each server, a certificate naming the host and its
// private address, a config that requires TLS from the network, and replication that verifies its source.
import { X509Certificate } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import mysqlPrimary from "../../roles/mysql_primary/index.ts";
import mysqlReplica from "../../roles/mysql_replica/index.ts";
import type { CertificateState } from "../../lib/resources/certificate.ts";
import { address, find, synth, written } from "./support/synth.ts";

const primary = synth({ name: "db", hosts: "db_primary", roles: [mysqlPrimary] }, "db-01");

test("the server requires TLS from the network, TLS 1.2+, with its certificate from /etc/mysql/tls", () => {
  const config = written(primary, "file:/etc/mysql/mariadb.conf.d/60-foobar.cnf");
  for (const line of [
    "ssl_ca = /etc/mysql/tls/ca.pem",
    "ssl_cert = /etc/mysql/tls/server.pem",
    "ssl_key = /etc/mysql/tls/server-key.pem",
    "tls_version = TLSv1.2,TLSv1.3",
    "require_secure_transport = ON",
  ])
    assert.ok(config.split("\n").includes(line), line);
});

test("a certificate for the host's name and private address, from the CA the server trusts, reloaded live", () => {
  const ca = new X509Certificate(written(primary, "file:/etc/mysql/tls/ca.pem"));
  const resource = find(primary, "certificate:/etc/mysql/tls/server.pem");
  const [change] = resource.plan({} satisfies CertificateState, { diff: false });
  assert.is(change!.summary, "no certificate -> issue a new certificate (90 days)");
  const script = resource.apply({});
  const pems = [...script.matchAll(/<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/g)].map((found) =>
    Buffer.from(found[1]!.replace(/\n/g, ""), "base64").toString(),
  );
  const certificate = new X509Certificate(pems.find((pem) => pem.includes("CERTIFICATE"))!);
  assert.ok(certificate.verify(ca.publicKey), "signed by the CA in ca.pem");
  assert.is(certificate.subjectAltName, `DNS:db-01, IP Address:${address("db-01")}`);
  assert.match(script, /FLUSH SSL/);
  assert.not.match(script, /systemctl restart/);
});

test("the replica verifies the primary's certificate, for replication and the bootstrap's dump", () => {
  const replica = synth({ name: "db", hosts: "db_replica", roles: [mysqlReplica] }, "db-02");
  const replication = find(replica, "db-replication");
  const plain = replication.parse("Master_Host\tSlave_IO_Running\nx\tYes\n", 0);
  assert.match(replication.plan(plain, { diff: false })[0]!.summary, /^replicates from/);
  const encoded = [
    ...replication.apply(replication.parse("", 0)).matchAll(/<<'__FOOBAR_B64__'[^\n]*\n([\s\S]*?)__FOOBAR_B64__/g),
  ];
  const decoded = encoded.map((found) => Buffer.from(found[1]!.replace(/\n/g, ""), "base64").toString()).join("\n");
  assert.match(decoded, /MASTER_SSL=1, MASTER_SSL_CA='\/etc\/mysql\/tls\/ca\.pem', MASTER_SSL_VERIFY_SERVER_CERT=1/);
  assert.match(decoded, /\nssl-verify-server-cert\n/);
});

test.run();

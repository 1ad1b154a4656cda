// The CA derived from a secret: the same secret gives the same CA certificate; another secret another CA; it issues
// server certificates that verify against it and name exactly what was asked.
import { X509Certificate } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { derivedCa } from "../../lib/secrets/derived-ca.ts";
import { mask } from "../../lib/mask.ts";
import { Secret } from "../../lib/secret.ts";

const secret = new Secret("db_ca_key", "derived-ca-test-secret-1");

test("the CA certificate is a function of the secret", () => {
  const first = derivedCa(secret, "foobar database CA").certificate;
  assert.is(derivedCa(new Secret("db_ca_key", "derived-ca-test-secret-1"), "foobar database CA").certificate, first);
  assert.is.not(
    derivedCa(new Secret("db_ca_key", "derived-ca-test-secret-2"), "foobar database CA").certificate,
    first,
  );
  const ca = new X509Certificate(first);
  assert.ok(ca.ca, "a CA certificate");
  assert.is(ca.subject, "CN=foobar database CA");
  assert.ok(ca.verify(ca.publicKey), "self-signed");
});

test("a run derives each CA once: the same secret value, name and purpose give the same CA, not a second build", () => {
  const first = derivedCa(secret, "foobar database CA");
  assert.is(derivedCa(new Secret("db_ca_key", "derived-ca-test-secret-1"), "foobar database CA"), first);
  assert.is.not(derivedCa(secret, "another CA"), first);
  assert.is.not(derivedCa(new Secret("other_key", "derived-ca-test-secret-1"), "foobar database CA"), first);
});

test("a server certificate: signed by the CA, its names as SANs, valid for the days asked", () => {
  const ca = derivedCa(secret, "foobar database CA");
  const now = new Date("2031-01-01T00:00:00Z");
  const issued = ca.issue("db-01", ["db-01", "10.0.0.21"], 90, now);
  const server = new X509Certificate(issued.certificate);
  assert.ok(server.verify(new X509Certificate(ca.certificate).publicKey));
  assert.not.ok(server.ca);
  assert.is(server.subjectAltName, "DNS:db-01, IP Address:10.0.0.21");
  assert.is(server.checkIP("10.0.0.21"), "10.0.0.21");
  assert.is(new Date(server.validTo).toISOString(), "2031-04-01T00:00:00.000Z");
  assert.is.not(
    ca.issue("db-01", ["db-01"], 90, now).privateKey.reveal(),
    issued.privateKey.reveal(),
    "a new key each time",
  );
});

test("an issued private key is masked in every output", () => {
  const issued = derivedCa(secret, "foobar database CA").issue("db-01", ["db-01"], 90);
  const key = issued.privateKey.reveal();
  assert.match(key, "BEGIN PRIVATE KEY");
  assert.not.match(mask(`printed: ${key}`), "PRIVATE KEY-----\nM");
  assert.not.match(mask(JSON.stringify({ key })), key.split("\n")[1]!);
});

test.run();

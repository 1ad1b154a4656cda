// The CA derived from a secret: the same secret gives the same CA certificate; another secret another CA; it issues
// server certificates that verify against it and name exactly what was asked.
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

test("the CA certificate is kept in the cache directory, and a cached file that is not this CA's own is replaced", () => {
  const dir = mkdtempSync(join(tmpdir(), "derived-ca-"));
  try {
    const built = derivedCa(new Secret("db_ca_key", "derived-ca-cache-1"), "foobar database CA", dir).certificate;
    const [file] = readdirSync(dir);
    assert.ok(file, "the certificate was written to the cache");
    assert.is(readFileSync(join(dir, file!), "utf8"), built);
    assert.not.match(file!, /derived-ca-cache-1/, "the file is named by a hash, not the secret");
    // Another CA's certificate (a different key signed it) in this CA's cache file: not used, and replaced.
    const other = derivedCa(new Secret("db_ca_key", "derived-ca-cache-2"), "foobar database CA", dir).certificate;
    writeFileSync(join(dir, file!), other);
    // Another spelling of the same directory: derived afresh, not taken from this process's memo.
    const again = derivedCa(new Secret("db_ca_key", "derived-ca-cache-1"), "foobar database CA", `${dir}/`).certificate;
    assert.is(again, built, "the certificate is this CA's");
    assert.is(readFileSync(join(dir, file!), "utf8"), built, "the foreign file was replaced");
    // Garbage in the cache file: built again.
    writeFileSync(join(dir, file!), "not a certificate");
    assert.is(
      derivedCa(new Secret("db_ca_key", "derived-ca-cache-1"), "foobar database CA", `${dir}//`).certificate,
      built,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

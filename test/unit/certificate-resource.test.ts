// The certificate resource's plan: a new certificate when missing, not the key's, signed by another CA, naming other
// names or expiring within the renewal window; nothing when it serves; the key's ownership fixed without a new one.
import { createPublicKey } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { certificate, type CertificateOptions, type CertificateState } from "../../lib/resources/certificate.ts";
import { derivedCa } from "../../lib/secrets/derived-ca.ts";
import { Secret } from "../../lib/secret.ts";

const NOW = new Date("2030-06-01T12:00:00Z");
const DAY = 86_400_000;
const ca = derivedCa(new Secret("db_ca_key", "the-site-ca-secret-value"), "foobar database CA");
const otherCa = derivedCa(new Secret("other_ca_key", "another-ca-secret-value!"), "foobar database CA");

const options: CertificateOptions = {
  certificatePath: "/etc/mysql/tls/server.pem",
  keyPath: "/etc/mysql/tls/server-key.pem",
  owner: "mysql",
  group: "mysql",
  ca,
  subject: "db-01",
  names: ["db-01", "10.0.0.21"],
  validDays: 90,
  renewDays: 30,
  now: () => NOW,
};
const resource = certificate(options);

/** The host's files as the probe reads them: a certificate issued `daysAgo` before NOW and its key. */
function hostWith(issuer = ca, names = options.names, daysAgo = 0): CertificateState {
  const issued = issuer.issue("db-01", names, 90, new Date(NOW.getTime() - daysAgo * DAY));
  const keyPublic = createPublicKey(issued.privateKey.reveal()).export({ format: "pem", type: "spki" }).toString();
  return { certificate: issued.certificate, keyPublic, keyOwnership: "mysql mysql 600" };
}

const summaries = (state: CertificateState) => resource.plan(state, { diff: false }).map((change) => change.summary);

test("a valid certificate of the CA, naming the host, far from expiry: no change", () => {
  assert.equal(summaries(hostWith()), []);
  assert.equal(summaries(hostWith(ca, ["10.0.0.21", "db-01"], 59)), [], "names in any order; 31 days left");
});

test("missing certificate or key: a new one", () => {
  assert.equal(summaries({}), ["no certificate -> issue a new certificate (90 days)"]);
  const { keyPublic: _, ...noKey } = hostWith();
  assert.equal(summaries({ ...noKey, keyOwnership: "mysql mysql 600" }), [
    "no key -> issue a new certificate (90 days)",
  ]);
});

test("a key that is not the certificate's: a new one", () => {
  const state = { ...hostWith(), keyPublic: hostWith().keyPublic };
  assert.equal(summaries(state), ["the key does not match the certificate -> issue a new certificate (90 days)"]);
});

test("signed by another CA: a new one", () => {
  assert.equal(summaries(hostWith(otherCa)), ["not signed by foobar database CA -> issue a new certificate (90 days)"]);
});

test("wrong or missing names: a new one", () => {
  assert.equal(summaries(hostWith(ca, ["db-02", "10.0.0.22"])), [
    "names 10.0.0.22, db-02, wanted 10.0.0.21, db-01 -> issue a new certificate (90 days)",
  ]);
  assert.equal(summaries(hostWith(ca, ["db-01"])), [
    "names db-01, wanted 10.0.0.21, db-01 -> issue a new certificate (90 days)",
  ]);
});

test("expiring within the renewal window: a new one", () => {
  const [summary] = summaries(hostWith(ca, options.names, 61));
  assert.equal(summary, "expires 2030-06-30, within the 30-day renewal window -> issue a new certificate (90 days)");
});

test("the key's ownership drifted: fixed without a new certificate", () => {
  const state = { ...hostWith(), keyOwnership: "root root 644" };
  assert.equal(summaries(state), ["key owner, group and mode root root 644 -> mysql mysql 600"]);
  assert.not.match(resource.apply(state), "BEGIN", "no new key is sent");
});

test("the new key goes to the host in a here-document only, and the reload follows the files", () => {
  const script = certificate({ ...options, reload: "reload-the-server" }).apply({});
  assert.not.match(script, "PRIVATE KEY", "the key is base64 on the wire, never clear text in the script");
  assert.match(script, /chown mysql:mysql "\$tmp"\nchmod 0600 "\$tmp"/);
  assert.ok(script.trimEnd().endsWith("reload-the-server"));
});

test("the probe's output parses back to the state", () => {
  const state = hostWith();
  const stdout = `--certificate\n${state.certificate}--key mysql mysql 600\n${state.keyPublic}`;
  assert.equal(resource.parse(stdout, 0), state);
  assert.equal(resource.parse("", 0), {});
  assert.equal(resource.parse("--key root root 644\n", 0), { keyOwnership: "root root 644" });
});

test.run();

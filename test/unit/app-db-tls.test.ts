// A database server certificate the app refuses is named as such in /health: a real TLS handshake with a certificate
// of the site CA that names another address, and one of another CA.
import { once } from "node:events";
import { connect, createServer, type TLSSocket } from "node:tls";
import type { AddressInfo } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { connectErrorMessage } from "../../app/src/db/connect-error.ts";
import { derivedCa } from "../../lib/secrets/derived-ca.ts";
import { Secret } from "../../lib/secret.ts";

const ca = derivedCa(new Secret("db_ca_key", "app-db-tls-test-secret"), "foobar database CA");
const otherCa = derivedCa(new Secret("db_ca_key", "app-db-tls-other-secret"), "foobar database CA");

/** The error a client verifying against the site CA gets from a server presenting `names`, issued by `issuer`. */
async function refusal(names: string[], issuer = ca): Promise<unknown> {
  const issued = issuer.issue("db-01", names, 90);
  const server = createServer({ cert: issued.certificate, key: issued.privateKey.reveal() }, (socket) => socket.end());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const socket: TLSSocket = connect({
      host: "127.0.0.1",
      port: (server.address() as AddressInfo).port,
      ca: ca.certificate,
    });
    const [outcome] = await Promise.race([
      once(socket, "secureConnect").then(() => ["connected"]),
      once(socket, "error"),
    ]);
    socket.destroy();
    return outcome;
  } finally {
    server.close();
  }
}

test("a certificate naming the address connected to is accepted", async () => {
  assert.is(await refusal(["db-01", "127.0.0.1"]), "connected");
});

test("a certificate for another address: refused, and the message says the server's certificate was", async () => {
  const message = connectErrorMessage(await refusal(["db-01", "10.9.9.9"]));
  assert.match(message, /^the server's TLS certificate was refused \(ERR_TLS_CERT_ALTNAME_INVALID\): /);
  assert.match(message, /127\.0\.0\.1 is not in the cert's list: 10\.9\.9\.9/);
});

test("a certificate of another CA: refused with the reason", async () => {
  assert.match(
    connectErrorMessage(await refusal(["127.0.0.1"], otherCa)),
    /^the server's TLS certificate was refused \([A-Z_]+\): /,
  );
});

test("as mysql2 reports it (its own code on Node's error): still named a refused certificate", async () => {
  const error = Object.assign((await refusal(["db-01", "10.9.9.9"])) as Error, { code: "HANDSHAKE_SSL_ERROR" });
  assert.match(
    connectErrorMessage(error),
    /^the server's TLS certificate was refused \(HANDSHAKE_SSL_ERROR\): Hostname\/IP does not match/,
  );
  const protocol = Object.assign(new Error("unsupported protocol"), { code: "HANDSHAKE_SSL_ERROR" });
  assert.is(
    connectErrorMessage(protocol),
    "the TLS handshake with the server failed (HANDSHAKE_SSL_ERROR): unsupported protocol",
  );
});

test("other errors keep their message", () => {
  assert.is(
    connectErrorMessage(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    "connect ECONNREFUSED",
  );
});

test.run();

// The database tier's TLS: the site CA derived from the secret db_ca_key, where its certificate and each server's
// certificate and key live, and the resources that put them on a database host (renewed live, without a restart).
import type { Host } from "../../lib/inventory/types.ts";
import type { ResourceFactory } from "../../lib/resources/index.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { derivedCa, type DerivedCa } from "../../lib/secrets/derived-ca.ts";
import type { Secret } from "../../lib/secret.ts";
import type { DbFlavor } from "./flavor.ts";

/** The CA's common name: clients and servers of the database tier trust this CA only. */
export const DB_CA_NAME = "foobar database CA";

export const TLS_DIR = "/etc/mysql/tls";
export const TLS_FILES = {
  ca: `${TLS_DIR}/ca.pem`,
  certificate: `${TLS_DIR}/server.pem`,
  key: `${TLS_DIR}/server-key.pem`,
};

export function databaseCa(caKey: Secret): DerivedCa {
  return derivedCa(caKey, DB_CA_NAME);
}

export interface TlsVars {
  ca_key: Secret;
  cert_valid_days: number;
  cert_renew_days: number;
}

/** The server's TLS settings ([mysqld]): its CA, certificate and key, TLS 1.2+ only, no unencrypted network login. */
export function tlsSettings(): string[] {
  return [
    `ssl_ca = ${TLS_FILES.ca}`,
    `ssl_cert = ${TLS_FILES.certificate}`,
    `ssl_key = ${TLS_FILES.key}`,
    "tls_version = TLSv1.2,TLSv1.3",
    "# Logins over the network must use TLS; the unix socket (root, the exporter) counts as secure.",
    "require_secure_transport = ON",
  ];
}

/** A running server that already serves our certificate reloads it; otherwise the restart that follows its config does. */
function reloadScript(flavor: DbFlavor): string {
  return [
    `if ${flavor.client} -e 'SELECT 1' >/dev/null 2>&1 && [ -n "$(${flavor.client} --batch --skip-column-names -e 'SELECT @@GLOBAL.ssl_cert')" ]; then`,
    `  ${flavor.client} -e ${JSON.stringify(flavor.reloadTls)}`,
    "fi",
  ].join("\n");
}

/** The CA certificate, the host's certificate (its name and private address) and key, readable by mysql only. */
export function tlsTasks(r: ResourceFactory, flavor: DbFlavor, host: Host, vars: TlsVars): Resource<any>[] {
  const ca = databaseCa(vars.ca_key);
  return [
    r.package("openssl"),
    r.directory(TLS_DIR, { owner: "root", group: "mysql", mode: "0750" }),
    r.file(TLS_FILES.ca, ca.certificate, { owner: "root", group: "mysql", mode: "0644" }),
    r.certificate({
      certificatePath: TLS_FILES.certificate,
      keyPath: TLS_FILES.key,
      owner: "mysql",
      group: "mysql",
      ca,
      subject: host.name,
      names: [host.name, host.privateAddress],
      validDays: vars.cert_valid_days,
      renewDays: vars.cert_renew_days,
      reload: reloadScript(flavor),
    }),
  ];
}

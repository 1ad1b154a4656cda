// The lab's ACME server: Debian's Pebble with its own API certificate, and pebble-challtestsrv as its DNS.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { join } from "node:path";
import { daemonPid, startDaemon, stopDaemon } from "./daemons.ts";
import { paths } from "./paths.ts";
import { run } from "./run-command.ts";
import { ACME_PORTS, GATEWAY } from "./environment/gateway.ts";
import { tool } from "./requirements.ts";

export { ACME_DIRECTORY } from "./environment/gateway.ts";
const DNS = { name: "lab-dns", marker: "pebble-challtestsrv" };
const PEBBLE = { name: "lab-acme", marker: "pebble" };

async function ensureApiCertificate(): Promise<{ cert: string; key: string }> {
  const cert = join(paths.acmeState, "api-cert.pem");
  const key = join(paths.acmeState, "api-key.pem");
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(paths.acmeState, { recursive: true });
    await run("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "30",
      "-subj",
      "/CN=lab-acme",
      "-addext",
      `subjectAltName=IP:${GATEWAY.address}`,
    ]);
  }
  return { cert, key };
}

/** GET a URL of Pebble's management API (TLS with its own API certificate as the only trust anchor). */
function managementGet(path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get({ host: GATEWAY.address, port: ACME_PORTS.management, path, ca, timeout: 2000 }, (response) => {
      let body = "";
      response
        .setEncoding("utf8")
        .on("data", (chunk: string) => (body += chunk))
        .on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject).on("timeout", () => request.destroy(new Error("timeout")));
  });
}

/** Start challtestsrv (every A query → `siteAddress`, the load balancers' VIP) and Pebble; export Pebble's root CA and API certificate into .lab/. */
export async function startAcme(siteAddress: string): Promise<void> {
  const { cert, key } = await ensureApiCertificate();
  if (daemonPid(DNS.name, DNS.marker) === undefined) {
    startDaemon(DNS.name, tool("pebble-challtestsrv"), [
      "-dns01",
      `${GATEWAY.address}:${ACME_PORTS.dns}`,
      "-http01",
      "",
      "-https01",
      "",
      "-tlsalpn01",
      "",
      "-management",
      `${GATEWAY.address}:${ACME_PORTS.challengeManagement}`,
      "-defaultIPv4",
      siteAddress,
      "-defaultIPv6",
      "",
    ]);
  }
  if (daemonPid(PEBBLE.name, PEBBLE.marker) === undefined) {
    const config = join(paths.acmeState, "pebble.json");
    writeFileSync(
      config,
      JSON.stringify(
        {
          pebble: {
            listenAddress: `${GATEWAY.address}:${ACME_PORTS.api}`,
            managementListenAddress: `${GATEWAY.address}:${ACME_PORTS.management}`,
            certificate: cert,
            privateKey: key,
            httpPort: 80,
            tlsPort: 443,
            ocspResponderURL: "",
            externalAccountBindingRequired: false,
          },
        },
        null,
        2,
      ),
    );
    startDaemon(
      PEBBLE.name,
      tool("pebble"),
      ["-config", config, "-dnsserver", `${GATEWAY.address}:${ACME_PORTS.dns}`],
      { env: { PEBBLE_VA_NOSLEEP: "1", PEBBLE_WFE_NONCEREJECT: "0" } },
    );
  }
  copyFileSync(cert, paths.pebbleApiCert);
  const ca = readFileSync(cert, "utf8");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const root = await managementGet("/roots/0", ca).catch(() => undefined);
    if (root?.status === 200) {
      writeFileSync(paths.pebbleRoot, root.body);
      return;
    }
    if (Date.now() > deadline)
      throw new Error(
        `lab: Pebble did not answer on ${GATEWAY.address}:${ACME_PORTS.management}; see ${join(paths.logs, `${PEBBLE.name}.log`)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function acmeRunning(): boolean {
  return daemonPid(PEBBLE.name, PEBBLE.marker) !== undefined && daemonPid(DNS.name, DNS.marker) !== undefined;
}

export async function stopAcme(): Promise<void> {
  await stopDaemon(PEBBLE.name, PEBBLE.marker);
  await stopDaemon(DNS.name, DNS.marker);
}

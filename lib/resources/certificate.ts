// Resource: a TLS server certificate and its key on the host, issued by a CA of the controller's; a new one replaces it
// when it is missing, not the key's, not signed by that CA, names other names, or expires within the renewal window.
import { createPublicKey, X509Certificate } from "node:crypto";
import { posix } from "node:path";
import { shellProbe } from "../facts/probe.ts";
import type { DerivedCa } from "../secrets/derived-ca.ts";
import { sh } from "../shell.ts";
import { atomicWriteScript } from "./atomic-write.ts";
import { ownershipCommands } from "./ownership.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface CertificateOptions extends CommonOptions {
  certificatePath: string;
  keyPath: string;
  /** The key's and the certificate's owner and group; the key is mode 0600, the certificate 0644. */
  owner: string;
  group: string;
  ca: DerivedCa;
  /** The subject's common name (the host's name). */
  subject: string;
  /** DNS names and IP addresses the certificate must name: exactly these. */
  names: readonly string[];
  validDays: number;
  /** A certificate that expires within this many days is replaced. */
  renewDays: number;
  /** Shell run after a new certificate is in place (e.g. the server reloads it without a restart). */
  reload?: string;
  /** The clock (tests). */
  now?: () => Date;
}

export interface CertificateState {
  /** The certificate file's PEM, when there is one. */
  certificate?: string;
  /** The key file's public key (PEM), when there is a readable key. */
  keyPublic?: string;
  /** "owner group mode" of the key file. */
  keyOwnership?: string;
}

const CERT_MARK = "--certificate";
const KEY_MARK = "--key";

/** Why the host's certificate must be replaced, or undefined when it serves. */
export function reissueReason(state: CertificateState, options: CertificateOptions, now: Date): string | undefined {
  if (!state.certificate) return "no certificate";
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(state.certificate);
  } catch {
    return "the certificate file is unreadable";
  }
  if (!state.keyPublic) return "no key";
  const wantedKey = createPublicKey(state.keyPublic).export({ format: "pem", type: "spki" });
  if (certificate.publicKey.export({ format: "pem", type: "spki" }) !== wantedKey)
    return "the key does not match the certificate";
  const ca = new X509Certificate(options.ca.certificate);
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) return `not signed by ${options.ca.name}`;
  const names = subjectNames(certificate);
  const wanted = [...options.names].sort();
  if (names.join(",") !== wanted.join(","))
    return `names ${names.join(", ") || "nothing"}, wanted ${wanted.join(", ")}`;
  const expires = new Date(certificate.validTo);
  if (expires.getTime() - now.getTime() < options.renewDays * 86_400_000)
    return `expires ${expires.toISOString().slice(0, 10)}, within the ${options.renewDays}-day renewal window`;
  return undefined;
}

/** The DNS names and IP addresses of a certificate's subjectAltName, sorted. */
function subjectNames(certificate: X509Certificate): string[] {
  return (certificate.subjectAltName ?? "")
    .split(", ")
    .map((entry) => /^(?:DNS|IP Address):(.+)$/.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

function parseState(stdout: string): CertificateState {
  const state: CertificateState = {};
  const certificate = stdout.split(`${CERT_MARK}\n`)[1]?.split(`${KEY_MARK} `)[0];
  if (certificate?.trim()) state.certificate = certificate;
  const key = stdout.split(`${KEY_MARK} `)[1];
  if (key !== undefined) {
    const [ownership, ...rest] = key.split("\n");
    state.keyOwnership = ownership!.trim();
    const publicKey = rest.join("\n");
    if (publicKey.includes("BEGIN PUBLIC KEY")) state.keyPublic = publicKey;
  }
  return state;
}

export function certificate(options: CertificateOptions): Resource<CertificateState> {
  const now = options.now ?? (() => new Date());
  const keyOwnership = `${options.owner} ${options.group} 600`;
  const { certificatePath, keyPath } = options;
  return {
    id: `certificate:${certificatePath}`,
    ...commonFields(options),
    probe: () =>
      shellProbe(
        [
          sh`if [ -f ${certificatePath} ]; then echo ${CERT_MARK}; cat ${certificatePath}; fi`,
          sh`if [ -f ${keyPath} ]; then echo ${KEY_MARK} "$(stat -c '%U %G %a' ${keyPath})"; openssl pkey -in ${keyPath} -pubout 2>/dev/null || true; fi`,
        ].join("\n"),
      ),
    parse: parseState,
    plan(state): Change[] {
      const reason = reissueReason(state, options, now());
      if (reason) return [{ summary: `${reason} -> issue a new certificate (${options.validDays} days)` }];
      if (state.keyOwnership !== keyOwnership)
        return [{ summary: `key owner, group and mode ${state.keyOwnership} -> ${keyOwnership}` }];
      return [];
    },
    apply(state): string {
      const key = { owner: options.owner, group: options.group };
      if (!reissueReason(state, options, now()))
        return ownershipCommands(sh`${keyPath}`, { ...key, mode: "0600" }).join("\n");
      const issued = options.ca.issue(options.subject, options.names, options.validDays, now());
      return [
        sh`mkdir -p ${posix.dirname(keyPath)} ${posix.dirname(certificatePath)}`,
        atomicWriteScript(keyPath, issued.privateKey.reveal(), { ...key, mode: "0600" }),
        atomicWriteScript(certificatePath, issued.certificate, { ...key, mode: "0644" }),
        options.reload ?? "",
      ]
        .filter(Boolean)
        .join("\n");
    },
  };
}

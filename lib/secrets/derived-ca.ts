// A certificate authority derived from a secret: its Ed25519 key and its certificate are a function of the secret's value,
// so the secrets file holds the key and the certificate needs no file of its own. It issues server certificates.
import {
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  X509Certificate,
} from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { replaceFile } from "../replace-file.ts";
import { join, resolve } from "node:path";
import { Secret } from "../secret.ts";
import { issueCertificate } from "./x509.ts";

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** The CA certificate's validity: fixed, so that the same secret always gives the same certificate. */
const CA_NOT_BEFORE = new Date("2025-01-01T00:00:00Z");
const CA_NOT_AFTER = new Date("2045-01-01T00:00:00Z");

export interface ServerCertificate {
  certificate: string;
  /** PKCS#8 PEM, masked in every output. */
  privateKey: Secret;
}

export interface DerivedCa {
  /** The CA's common name. */
  name: string;
  /** The CA certificate (PEM): public, the same on every run. */
  certificate: string;
  /** A new key pair and a certificate for it, naming `names` (DNS names and IP addresses), valid `days` from `now`. */
  issue(subject: string, names: readonly string[], days: number, now?: Date): ServerCertificate;
}

function positiveSerial(bytes: Buffer): Buffer {
  const serial = Buffer.from(bytes.subarray(0, 16));
  serial[0] = serial[0]! & 0x7f;
  return serial;
}

/** Where CA certificates are kept between runs, named by a hash of the key's seed and the purpose. They are public, and
 * one is used only when it is signed by the derived key, binds that key and has the fixed name and validity: a file put
 * there cannot stand in for the CA. A no-op run then builds no certificate (and loads no ASN.1 code). */
export const CA_CACHE_DIR = resolve(import.meta.dirname, "../../.cache/derived-ca");

/** The CAs derived in this process, by seed and purpose: building a CA certificate costs milliseconds (the ASN.1
 * encoding), and each host of a run that trusts the CA asks for it again. */
const derived = new Map<string, DerivedCa>();

/** The CA for `purpose` (its common name, e.g. "foobar database CA"), derived from `secret` (HMAC-SHA256 → Ed25519 seed). */
export function derivedCa(secret: Secret, purpose: string, cacheDir = CA_CACHE_DIR): DerivedCa {
  const seed = createHmac("sha256", secret.reveal()).update(`foobar-infra CA: ${purpose}`).digest();
  const memoKey = `${createHash("sha256").update(seed).digest("hex")}\0${purpose}\0${secret.name}\0${cacheDir}`;
  const known = derived.get(memoKey);
  if (known) return known;
  const ca = buildCa(secret, purpose, seed, cacheDir);
  derived.set(memoKey, ca);
  return ca;
}

function buildCa(secret: Secret, purpose: string, seed: Buffer, cacheDir: string): DerivedCa {
  const key: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(key);
  const cacheFile = join(
    cacheDir,
    `${createHash("sha256").update(seed).update(`cache: ${purpose}`).digest("hex")}.pem`,
  );
  const certificate =
    cachedCaCertificate(cacheFile, purpose, publicKey) ??
    keptInCache(
      cacheFile,
      issueCertificate(
        {
          subject: purpose,
          serial: positiveSerial(createHash("sha256").update(seed).update("serial").digest()),
          notBefore: CA_NOT_BEFORE,
          notAfter: CA_NOT_AFTER,
          publicKey,
          use: { ca: true },
        },
        { name: purpose, key },
      ),
    );
  return {
    name: purpose,
    certificate,
    issue(subject, names, days, now = new Date()) {
      const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
      const pem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      const notBefore = new Date(now.getTime() - 60 * 60 * 1000); // an hour back: clocks that lag still accept it
      const cert = issueCertificate(
        {
          subject,
          serial: positiveSerial(createHash("sha256").update(pem).digest()),
          notBefore,
          notAfter: new Date(now.getTime() + days * 86_400_000),
          publicKey: pair.publicKey,
          use: { ca: false, names },
        },
        { name: purpose, key },
      );
      return { certificate: cert, privateKey: new Secret(`${secret.name} (${subject} key)`, pem) };
    },
  };
}

/** The cached CA certificate when it is this CA's own: self-signed by `publicKey`, binding it, named and valid as built. */
function cachedCaCertificate(file: string, purpose: string, publicKey: KeyObject): string | undefined {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(file));
  } catch {
    return undefined; // none yet, unreadable or not a certificate: build it
  }
  const spki = (key: KeyObject) => key.export({ format: "der", type: "spki" });
  const own =
    certificate.ca &&
    certificate.subject === `CN=${purpose}` &&
    certificate.issuer === `CN=${purpose}` &&
    Date.parse(certificate.validFrom) === CA_NOT_BEFORE.getTime() &&
    Date.parse(certificate.validTo) === CA_NOT_AFTER.getTime() &&
    spki(certificate.publicKey).equals(spki(publicKey)) &&
    certificate.verify(publicKey);
  return own ? certificate.toString() : undefined;
}

/** CA certificates the cache keeps: the newest, so that test runs with throwaway secrets do not grow it without end. */
const CA_CACHE_SIZE = 16;

/** `certificate`, written to the cache for the next run; a cache that cannot be written (a read-only checkout) is skipped. */
function keptInCache(file: string, certificate: string): string {
  try {
    const dir = resolve(file, "..");
    mkdirSync(dir, { recursive: true });
    replaceFile(file, certificate);
    const kept = readdirSync(dir)
      .filter((name) => name.endsWith(".pem"))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of kept.slice(CA_CACHE_SIZE)) rmSync(old.path, { force: true });
  } catch {
    // The next run builds it again.
  }
  return certificate;
}

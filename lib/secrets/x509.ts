// X.509 certificates built with @peculiar/asn1-x509 (DER structures) and signed with node:crypto (Ed25519 issuers).
import { type KeyObject, sign, X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { createRequire } from "node:module";

type Asn1 = typeof import("@peculiar/asn1-schema") & typeof import("@peculiar/asn1-x509");

const requireCjs = createRequire(import.meta.url);
let loaded: Asn1 | undefined;
/** The ASN.1 structures, loaded with the first certificate built: about 80 modules whose start a run that builds no
 * certificate (a no-op, with the CA certificate cached) does not pay for. */
function asn1(): Asn1 {
  loaded ??= { ...requireCjs("@peculiar/asn1-schema"), ...requireCjs("@peculiar/asn1-x509") } as Asn1;
  return loaded;
}

/** The Ed25519 signature algorithm (RFC 8410): the only issuer key type this module signs with. */
const ED25519 = "1.3.101.112";
const COMMON_NAME = "2.5.4.3";

export interface CertificateFields {
  /** The subject's common name. */
  subject: string;
  /** At most 20 bytes, the first below 0x80 (a positive integer in DER). */
  serial: Buffer;
  notBefore: Date;
  notAfter: Date;
  /** The public key the certificate binds. */
  publicKey: KeyObject;
  /** A CA (may sign certificates, not servers) or a TLS server with these DNS names and IP addresses. */
  use: { ca: true } | { ca: false; names: readonly string[] };
}

export interface Issuer {
  /** The issuer's common name (its own certificate's subject). */
  name: string;
  /** An Ed25519 private key. */
  key: KeyObject;
}

function commonName(name: string) {
  const { Name, RelativeDistinguishedName, AttributeTypeAndValue, AttributeValue } = asn1();
  return new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({ type: COMMON_NAME, value: new AttributeValue({ utf8String: name }) }),
    ]),
  ]);
}

function extension(id: string, critical: boolean, value: unknown) {
  const { Extension, OctetString, AsnConvert } = asn1();
  return new Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function extensionsFor(use: CertificateFields["use"]) {
  const { BasicConstraints, ExtendedKeyUsage, GeneralName, KeyUsage, KeyUsageFlags, SubjectAlternativeName } = asn1();
  const { id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName, id_kp_serverAuth } = asn1();
  if (use.ca)
    return [
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
    ];
  const names = use.names.map((name) => new GeneralName(isIP(name) ? { iPAddress: name } : { dNSName: name }));
  return [
    extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: false })),
    extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.digitalSignature)),
    extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
    extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names)),
  ];
}

/** A certificate for `fields`, signed by `issuer`, as PEM. Ed25519 signatures are deterministic: same input, same bytes. */
export function issueCertificate(fields: CertificateFields, issuer: Issuer): string {
  const { AlgorithmIdentifier, AsnConvert, Certificate, Extensions, SubjectPublicKeyInfo, TBSCertificate } = asn1();
  const { Validity, Version } = asn1();
  const algorithm = new AlgorithmIdentifier({ algorithm: ED25519 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: Uint8Array.from(fields.serial).buffer,
    signature: algorithm,
    issuer: commonName(issuer.name),
    validity: new Validity({ notBefore: fields.notBefore, notAfter: fields.notAfter }),
    subject: commonName(fields.subject),
    subjectPublicKeyInfo: AsnConvert.parse(
      fields.publicKey.export({ format: "der", type: "spki" }),
      SubjectPublicKeyInfo,
    ),
    extensions: new Extensions(extensionsFor(fields.use)),
  });
  const signature = sign(null, Buffer.from(AsnConvert.serialize(tbs)), issuer.key);
  const der = Buffer.from(
    AsnConvert.serialize(
      new Certificate({
        tbsCertificate: tbs,
        signatureAlgorithm: algorithm,
        signatureValue: Uint8Array.from(signature).buffer,
      }),
    ),
  );
  return new X509Certificate(der).toString();
}

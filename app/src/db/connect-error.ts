// What a failed database connection says in /health and the log: a refused server certificate is named as such.
import { errorMessage } from "../log.ts";

/** Node's and OpenSSL's codes for a server certificate the client refuses (wrong name, unknown CA, expired, ...). */
const CERTIFICATE_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|HOSTNAME_MISMATCH|IP_ADDRESS_MISMATCH)$/;
/** mysql2 replaces the code of any error of its TLS upgrade with this one; the message is Node's. */
const MYSQL2_TLS_CODE = "HANDSHAKE_SSL_ERROR";
const ABOUT_A_CERTIFICATE = /certificate|altnames/i;

/** The error's message, prefixed when TLS with the server failed: saying so when its certificate was refused. */
export function connectErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = errorMessage(error);
  if (typeof code !== "string" || !(code === MYSQL2_TLS_CODE || CERTIFICATE_CODES.test(code))) return message;
  const what = ABOUT_A_CERTIFICATE.test(message)
    ? "the server's TLS certificate was refused"
    : "the TLS handshake with the server failed";
  return `${what} (${code}): ${message}`;
}

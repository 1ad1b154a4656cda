// What a failed database connection says in /health and the log: a refused server certificate is named as such.
import { errorMessage } from "../log.ts";

/** Node's and OpenSSL's codes for a server certificate the client refuses (wrong name, unknown CA, expired, ...). */
const CERTIFICATE_CODES =
  /^(ERR_TLS_CERT_ALTNAME_INVALID|CERT_[A-Z_]+|UNABLE_TO_[A-Z_]+|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|HOSTNAME_MISMATCH|IP_ADDRESS_MISMATCH)$/;

/** The error's message, prefixed when the server's TLS certificate was refused. */
export function connectErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && CERTIFICATE_CODES.test(code))
    return `the server's TLS certificate was refused (${code}): ${errorMessage(error)}`;
  return errorMessage(error);
}

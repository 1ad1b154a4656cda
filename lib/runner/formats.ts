// The string formats role vars may name, each with the words a validation message uses for it.
import { createRequire } from "node:module";
import type { Ajv } from "ajv";

/** Engine formats beyond ajv-formats': name → regular expression. */
const ENGINE_FORMATS: Record<string, RegExp> = {
  "host-port":
    /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9a-fA-F:.]+):([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/,
  "interface-name": /^[A-Za-z0-9_][A-Za-z0-9_.:@-]{0,14}$/,
};

/** The engine formats' expressions: part of the valid-vars memo's key, so a changed format validates everything again. */
export const ENGINE_FORMATS_FINGERPRINT = Object.entries(ENGINE_FORMATS)
  .map(([name, pattern]) => `${name}=${pattern.source}`)
  .join("\n");

/** What each format accepts, in words: "must be <meaning>". */
export const FORMAT_MEANINGS: Record<string, string> = {
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
  hostname: "a host name",
  uri: "an absolute URL",
  email: "an email address",
  "host-port": "host:port (a name or address, then a port from 1 to 65535)",
  "interface-name": "a network interface name (up to 15 letters, digits or _.:@-, not starting with . : @ or -)",
};

/** ajv-formats' formats and the engine's on `ajv` (ajv-formats is CommonJS: inlined by the bundle, else required). */
export function registerFormats(ajv: Ajv): void {
  const addFormats: typeof import("ajv-formats").default =
    typeof require === "function" ? require("ajv-formats") : createRequire(import.meta.url)("ajv-formats");
  addFormats(ajv, ["ipv4", "ipv6", "hostname", "uri", "email"]);
  for (const [name, pattern] of Object.entries(ENGINE_FORMATS)) ajv.addFormat(name, pattern);
}

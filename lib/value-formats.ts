// The kit of formats every value that reaches a host is typed with: role vars (lib/dsl/role-vars.ts) and the inventory (lib/inventory/).
import { fullFormats } from "ajv-formats/dist/formats.js";

/** A format: the expression a value must match and what it accepts, in words ("must be <meaning>"). */
export interface ValueFormat {
  pattern: string;
  meaning: string;
}

/** The characters a path may hold: none that a shell, an ejs config, a systemd unit (%) or sshd reads specially. */
const PATH_CHARACTERS = "[A-Za-z0-9._+@,=:/-]";
/** What a URL's path and query may hold: no space, quote, backslash, $, `, ;, &, (), <>, {}, |, ! or #, and % only as %XX. */
const URL_PATH_CHARACTERS = "([A-Za-z0-9._~+,=:@/?-]|%[0-9A-Fa-f]{2})";
const HOST_LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

/** An absolute path on a host (up to 1024 characters), ending in `ending` when given. */
export const absolutePath = (ending = ""): ValueFormat => ({
  pattern: `^/${PATH_CHARACTERS}{0,1024}${ending.replace(/[.*+?^$()[\]{}|\\]/g, "\\$&")}$`,
  meaning: `an absolute path${ending ? ` ending in ${ending}` : ""} of letters, digits and /._+@,=:- only`,
});

/** A file or directory on the controller, relative to the repository or absolute, not starting with -. */
export const controllerPath: ValueFormat = {
  pattern: `^[A-Za-z0-9._+@,=:/]${PATH_CHARACTERS}{0,1023}$`,
  meaning: "a path on the controller of letters, digits and /._+@,=:- only, not starting with -",
};

/** A Unix user name. */
export const userName: ValueFormat = {
  pattern: "^[a-z_][a-z0-9_-]{0,31}$",
  meaning: "a Unix user name (lower case letters, digits, _ and -, up to 32, not starting with a digit or -)",
};

/** An identifier (a database, an account): letters, digits and _, up to `longest`. */
export const identifier = (longest = 64): ValueFormat => ({
  pattern: `^[A-Za-z0-9_]{1,${longest}}$`,
  meaning: `an identifier of up to ${longest} letters, digits or _`,
});

/** A name (an inventory group or host, a release, a certificate): letters, digits and ._-, not starting with . or -. */
export const name: ValueFormat = {
  pattern: "^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$",
  meaning: "a name of up to 64 letters, digits or ._- (not starting with . or -)",
};

/** An http(s) URL: a host name or bracketed address, an optional port, a path without spaces, quotes or shell characters. */
export const url = (scheme: "https" | "http" | "http(s)" = "http(s)"): ValueFormat => ({
  pattern: `^${scheme === "http(s)" ? "https?" : scheme}://(${HOST_LABEL}(\\.${HOST_LABEL})*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?(/${URL_PATH_CHARACTERS}{0,2048})?$`,
  meaning: `an ${scheme} URL without spaces, quotes or shell characters`,
});

/** An absolute URL path (with its query). */
export const urlPath: ValueFormat = {
  pattern: `^/${URL_PATH_CHARACTERS}{0,1024}$`,
  meaning: "an absolute URL path without spaces, quotes or shell characters",
};

/** An email address. */
export const email: ValueFormat = {
  pattern: `^[A-Za-z0-9._+][A-Za-z0-9._+-]{0,63}@${HOST_LABEL}(\\.${HOST_LABEL})+$`,
  meaning: "an email address (letters, digits and ._+- before the @, not starting with -; a host name after it)",
};

/** Free text: one line without control characters, only ever written as data through the encoder of where it lands. */
export const freeText: ValueFormat = {
  pattern: "^[^\\x00-\\x1f\\x7f]{0,1024}$",
  meaning: "one line of text (up to 1024 characters, no control characters)",
};

/** A raw configuration line, written as one whole line of its file. */
export const configLine: ValueFormat = {
  pattern: "^[^\\x00-\\x20\\x7f][^\\x00-\\x1f\\x7f]{0,1023}$",
  meaning: "a single line (up to 1024 characters, no control characters, not starting with a space)",
};

/** Whether `value` is a string of `format`. */
export function matches(format: ValueFormat, value: unknown): value is string {
  return typeof value === "string" && new RegExp(format.pattern, "u").test(value);
}

/** An IPv4 or IPv6 address, as ajv-formats' "ipv4" and "ipv6" formats read it. */
export const isIpAddress = (value: unknown): value is string =>
  typeof value === "string" && [fullFormats.ipv4, fullFormats.ipv6].some((format) => (format as RegExp).test(value));

/** An RFC 1123 host name, as ajv-formats' "hostname" format reads it. */
export const isHostName = (value: unknown): value is string =>
  typeof value === "string" && (fullFormats.hostname as RegExp).test(value);

/** A value as a message quotes it: JSON, cut to 80 characters so a very long value cannot bury the message. */
export function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...(${text.length} characters)` : text;
}

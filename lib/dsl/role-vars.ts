// The kit a role declares its vars with: one TypeBox declaration gives ajv its schema, TypeScript its type, each var its doc and default.
import { createRequire } from "node:module";
import type { Static, TObject, TSchema, TString, TUnsafe } from "@sinclair/typebox";
import type { Secret, SecretRef } from "../secret.ts";
import * as formats from "../value-formats.ts";
import type { ValueFormat } from "../value-formats.ts";

/**
 * TypeBox from its CommonJS build: imported as ES modules, its ~200 files would each go through tsx's loader, about a
 * fifth of a cold `npx tsx playbooks/site.ts`. bin/foobar-infra's bundle has a `require` and inlines it.
 */
const { Type }: typeof import("@sinclair/typebox") =
  typeof require === "function" ? require("@sinclair/typebox") : createRequire(import.meta.url)("@sinclair/typebox");

export { Type, type Static, type TObject, type TSchema };

/** Options every var may carry: its description (shown in the role reference) and its default. */
export interface VarOptions<T> {
  description: string;
  default?: T;
}

/** A TCP or UDP port number. */
export const Port = (options: VarOptions<number>) => Type.Integer({ minimum: 1, maximum: 65535, ...options });

/** A string in one of the formats the engine registers with ajv (see lib/runner/formats.ts). */
export const Formatted = (format: string, options: VarOptions<string>) => Type.String({ format, ...options });

/** An IPv4 or IPv6 address (either format). */
export const IpAddress = (options: VarOptions<string>) =>
  Type.Union([Type.String({ format: "ipv4" }), Type.String({ format: "ipv6" })], {
    meaning: "an IPv4 or IPv6 address",
    ...options,
  });

/** A host name (RFC 1123) or an IPv4 or IPv6 address: where another host is reached. */
export const HostOrAddress = (options: VarOptions<string>) =>
  Type.Union([Type.String({ format: "hostname" }), Type.String({ format: "ipv4" }), Type.String({ format: "ipv6" })], {
    meaning: "a host name or an IPv4 or IPv6 address",
    ...options,
  });

/** A host name (RFC 1123: letters, digits and -, dot-separated, not starting with -). */
export const HostName = (options: VarOptions<string>) => Formatted("hostname", options);

/** A string matching `pattern`; `meaning` says in words what the pattern accepts ("a size such as 1m"), for messages and the reference. */
export const Matching = (pattern: string, meaning: string, options: VarOptions<string>): TString =>
  Type.String({ pattern, meaning, ...options });

/** A value of one of the kit's formats (lib/value-formats.ts). */
const Of = (format: ValueFormat, options: VarOptions<string>): TString =>
  Matching(format.pattern, format.meaning, options);

/** An absolute path on a host, of letters, digits and /._+@,=:- only (up to 1024), ending in `ending` when given. */
export const AbsolutePath = (options: VarOptions<string>, ending = "") => Of(formats.absolutePath(ending), options);

/** A file or directory on the controller, relative to the repository (or absolute), not starting with -. */
export const ControllerPath = (options: VarOptions<string>) => Of(formats.controllerPath, options);

/** A Unix user name: lower case letters, digits, _ and -, up to 32, starting with a letter or _. */
export const UserName = (options: VarOptions<string>) => Of(formats.userName, options);

/** An identifier: letters, digits and _ (a database, an account), up to `longest`. */
export const Identifier = (options: VarOptions<string>, longest = 64) => Of(formats.identifier(longest), options);

/** A name (an inventory group, a release, a certificate): letters, digits and ._-, up to 64, not starting with . or -. */
export const Name = (options: VarOptions<string>) => Of(formats.name, options);

/** The name of a group the inventory must have (checked against it before any connection: lib/runner/group-vars.ts). */
export const GroupName = (options: VarOptions<string>) =>
  Type.String({ pattern: formats.name.pattern, meaning: formats.name.meaning, inventoryGroup: true, ...options });

/** An http(s) URL (`scheme` "https" for https only) without spaces, quotes or shell characters. */
export const Url = (options: VarOptions<string>, scheme: "https" | "http" | "http(s)" = "http(s)") =>
  Of(formats.url(scheme), options);

/** An absolute URL path (with its query): no spaces, quotes or shell characters. */
export const UrlPath = (options: VarOptions<string>) => Of(formats.urlPath, options);

/** An email address: letters, digits and ._%+- before the @ (not starting with -), a host name after it. */
export const Email = (options: VarOptions<string>) => Of(formats.email, options);

/** One of a few fixed strings (an enum: its message lists them, where a union of literals would list one failure per literal). */
export const OneOf = <const T extends readonly string[]>(
  values: T,
  options: VarOptions<T[number]>,
): TUnsafe<T[number]> => Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

/** A secret: `secret("name")` in hosts.ts (or as the default), resolved before any connection and masked in all output. */
export const SecretVar = (options: VarOptions<SecretRef>): TUnsafe<Secret> =>
  Type.Unsafe<Secret>({ secret: true, ...options });

/** Raw configuration lines, each written as one whole line of its file: no newline or other control character, up to 1024 characters. */
export const Lines = (options: VarOptions<string[]>) =>
  Type.Array(Type.String({ pattern: formats.configLine.pattern, meaning: formats.configLine.meaning }), options);

/** A role's vars: every property declared, nothing else accepted. Extra options (if/then for rules across vars) pass through to ajv. */
export const RoleVars = <P extends Record<string, TSchema>>(properties: P, options: Record<string, unknown> = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

/** The defaults a declaration carries, var by var. */
export function defaultsOf(schema: TObject): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties))
    if ("default" in property) defaults[name] = property.default;
  return defaults;
}

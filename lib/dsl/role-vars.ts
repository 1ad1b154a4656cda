// The kit a role declares its vars with: one TypeBox declaration gives ajv its schema, TypeScript its type, each var its doc and default.
import { Type, type Static, type TObject, type TSchema, type TString, type TUnsafe } from "@sinclair/typebox";
import type { Secret, SecretRef } from "../secret.ts";

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

/** A string matching `pattern`; `meaning` says in words what the pattern accepts ("a size such as 1m"), for messages and the reference. */
export const Matching = (pattern: string, meaning: string, options: VarOptions<string>): TString =>
  Type.String({ pattern, meaning, ...options });

/** One of a few fixed strings (an enum: its message lists them, where a union of literals would list one failure per literal). */
export const OneOf = <const T extends readonly string[]>(
  values: T,
  options: VarOptions<T[number]>,
): TUnsafe<T[number]> => Type.Unsafe<T[number]>({ type: "string", enum: [...values], ...options });

/** A secret: `secret("name")` in hosts.ts (or as the default), resolved before any connection and masked in all output. */
export const SecretVar = (options: VarOptions<SecretRef>): TUnsafe<Secret> =>
  Type.Unsafe<Secret>({ secret: true, ...options });

/** Raw configuration lines: strings without a newline. */
export const Lines = (options: VarOptions<string[]>) =>
  Type.Array(Type.String({ pattern: "^[^\\n]*$", meaning: "a single line" }), options);

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

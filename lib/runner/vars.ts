// Role vars for one host: merge defaults -> inventory -> groups -> host -> play, then validate.
import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { Host, Inventory, Vars } from "../inventory/types.ts";
import type { Role } from "../dsl/role.ts";
import { Secret } from "../secret.ts";
import { quoted } from "../value-formats.ts";
import { FORMAT_MEANINGS, registerFormats } from "./formats.ts";

let validator: Ajv | undefined;

/**
 * The validator of role vars, made with the first var set to validate: a run whose vars were all validated before
 * (lib/runner/valid-vars-memo.ts) never loads ajv. Per run, compiling the roles' validators is the engine's largest
 * start-up cost: validating each schema against the meta-schema (~60 ms, done once by a unit test instead) and
 * optimising the generated code (~25 ms) are left out. ajv is CommonJS: bin/foobar-infra's bundle has a `require`
 * and inlines it; under tsx it loads through Node's CommonJS loader, not tsx's.
 */
function varsValidator(): Ajv {
  if (validator) return validator;
  const { Ajv }: typeof import("ajv") =
    typeof require === "function" ? require("ajv") : createRequire(import.meta.url)("ajv");
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
    validateSchema: false,
    code: { optimize: false },
  });
  registerFormats(ajv);
  /** What a pattern accepts, in words (lib/dsl/role-vars.ts Matching): used instead of the raw expression in messages. */
  ajv.addKeyword({ keyword: "meaning", schemaType: "string" });
  /** A var that names an inventory group (GroupName): checked against the inventory by group-vars.ts, not by ajv. */
  ajv.addKeyword({ keyword: "inventoryGroup", schemaType: "boolean" });
  ajv.addKeyword({
    keyword: "secret",
    schemaType: "boolean",
    validate: function isSecret(wanted: boolean, data: unknown) {
      return !wanted || data instanceof Secret;
    },
    errors: false,
  });
  validator = ajv;
  return ajv;
}

const compiled = new WeakMap<object, ValidateFunction>();

function roleSection(vars: Vars, role: string): Vars {
  const section = vars[role];
  return section && typeof section === "object" ? (section as Vars) : {};
}

/** Later sources win, var by var (a var's value is replaced whole, as Ansible does). */
export function mergeRoleVars(role: Role, inventory: Inventory, host: Host, playVars: Vars = {}): Vars {
  const groupLayers = host.groups.map((group) => roleSection(inventory.groups[group]!.vars, role.name));
  return Object.assign(
    {},
    role.defaults,
    roleSection(inventory.vars, role.name),
    ...groupLayers,
    roleSection(host.vars, role.name),
    playVars,
  );
}

function valueAt(data: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>(
      (value, key) => (value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined),
      data,
    );
}

function describe(value: unknown): string {
  if (value instanceof Secret) return "a secret";
  if (value === undefined) return "nothing";
  return quoted(value);
}

/** The rule a value broke, in words: "must be an IPv4 address", "must be <= 65535", "must be one of ...". */
function rule(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "format":
      return `must be ${FORMAT_MEANINGS[params.format as string] ?? `in format ${params.format}`}`;
    case "pattern": {
      const meaning = (error.parentSchema as { meaning?: string } | undefined)?.meaning;
      return meaning ? `must be ${meaning}` : `must match ${params.pattern}`;
    }
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "anyOf": {
      const meaning = (error.parentSchema as { meaning?: string } | undefined)?.meaning;
      return meaning ? `must be ${meaning}` : "must take one of the forms the role's reference lists";
    }
    case "false schema":
      return "must not be set here";
    default:
      return error.message ?? error.keyword;
  }
}

function explain(error: ErrorObject, data: unknown): string {
  const path = error.instancePath || "/";
  if (error.keyword === "additionalProperties")
    return `${path}: unknown var "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === "required")
    return `${path}: missing required var "${(error.params as { missingProperty: string }).missingProperty}"`;
  if (error.keyword === "secret")
    return `${path}: expected a secret (secret("name") in hosts.ts), found a plain ${typeof valueAt(data, error.instancePath)}`;
  return `${path}: ${rule(error)}, found ${describe(valueAt(data, error.instancePath))}`;
}

/** Problems with `vars` for `role` on `host`, each naming host, role and JSON path; [] when valid. */
export function validateRoleVars(role: Role, host: Host, vars: Vars): string[] {
  let validate = compiled.get(role.schema);
  if (!validate) {
    validate = varsValidator().compile(role.schema);
    compiled.set(role.schema, validate);
  }
  if (validate(vars)) return [];
  // An if/then failure is also reported as the rule inside `then` that failed: only that one is shown.
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== "if");
  // A value that fits none of a union's forms is one problem: the union's own, not one per form it failed.
  const unions = errors.filter((error) => error.keyword === "anyOf").map((error) => `${error.schemaPath}/`);
  const shown = errors.filter((error) => !unions.some((prefix) => error.schemaPath.startsWith(prefix)));
  return shown.map((error) => `host ${host.name}, role ${role.name}: ${explain(error, vars)}`);
}

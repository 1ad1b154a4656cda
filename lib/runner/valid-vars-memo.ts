// Which (role schema, merged vars) pairs passed validation in an earlier run: an unchanged run skips compiling the
// roles' validators (the largest start-up cost). Only hashes are kept; a secret counts by name, never by value.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { replaceFile } from "../replace-file.ts";
import { join } from "node:path";
import type { Vars } from "../inventory/types.ts";
import type { Role } from "../dsl/role.ts";
import { Secret } from "../secret.ts";
import { ENGINE_FORMATS_FINGERPRINT } from "./formats.ts";

/** Enough for every role on every host of a large site; the oldest hashes go first. */
const MAX_ENTRIES = 5000;

export interface ValidVarsMemo {
  /** True when exactly this schema accepted exactly these vars before. */
  passed(role: Role, vars: Vars): boolean;
  record(role: Role, vars: Vars): void;
  save(): void;
}

/** The pair's hash; a Secret stands as its name, so the schema's "is a secret" check is part of what is hashed. */
function key(role: Role, vars: Vars): string {
  const text = JSON.stringify(
    [ENGINE_FORMATS_FINGERPRINT, role.name, role.schema, vars],
    function secretsByName(this: Record<string, unknown>, name, value) {
      const original = this[name];
      return original instanceof Secret ? { "secret by name": original.name } : value;
    },
  );
  return createHash("sha256").update(text).digest("base64url");
}

/** The memo of one environment under `dir` (null: this run only). */
export function validVarsMemo(dir: string | null, environment: string): ValidVarsMemo {
  const file = dir ? join(dir, environment, "valid-vars.json") : undefined;
  let known: string[] = [];
  try {
    if (file) known = JSON.parse(readFileSync(file, "utf8")) as string[];
  } catch {
    known = [];
  }
  const seen = new Set(known);
  const added: string[] = [];
  return {
    passed: (role, vars) => seen.has(key(role, vars)),
    record(role, vars) {
      const hash = key(role, vars);
      if (seen.has(hash)) return;
      seen.add(hash);
      added.push(hash);
    },
    save() {
      if (!file || added.length === 0) return;
      mkdirSync(join(dir!, environment), { recursive: true });
      replaceFile(file, JSON.stringify([...known, ...added].slice(-MAX_ENTRIES)));
    },
  };
}

// Resolve secret("name") references in vars against a store; every missing name is reported with how to set it.
import type { SecretStore } from "./store.ts";
import { SecretRef } from "../secret.ts";

/** Replace every SecretRef inside `vars` (deeply); missing secrets are added to `missing`: name → how to provide it. */
export function resolveSecrets<T>(vars: T, store: SecretStore, missing: Map<string, string>): T {
  const walk = (value: unknown): unknown => {
    if (value instanceof SecretRef) {
      const secret = store.lookup(value.name);
      if (!secret) missing.set(value.name, `missing secret "${value.name}": ${store.howToSet(value.name)}`);
      return secret ?? value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return walk(vars) as T;
}

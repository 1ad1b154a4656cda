// The secret value type: a string that prints as ******** everywhere unless revealed on purpose.
import { inspect } from "node:util";
import { registerSecret } from "./mask.ts";

export const MASK = "********";

/** A resolved secret. String conversion, JSON and util.inspect all print the mask. */
export class Secret {
  readonly #value: string;
  constructor(
    readonly name: string,
    value: string,
  ) {
    this.#value = value;
    registerSecret(value);
  }
  /** The real value: only for templates and commands sent to a host. */
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return MASK;
  }
  toJSON(): string {
    return MASK;
  }
  [inspect.custom](): string {
    return `Secret(${this.name})`;
  }
}

/** A reference to a secret by name, placed in hosts.ts or play vars; resolved when the run loads. */
export class SecretRef {
  constructor(readonly name: string) {}
  toJSON(): string {
    return `secret(${this.name})`;
  }
}

/**
 * Refer to a secret by name. It is read from the environment variable FOOBAR_SECRET_<NAME>
 * (upper-cased, non-alphanumerics as _) or from the environment's secrets file.
 */
export function secret(name: string): SecretRef {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`secret name "${name}" must match ^[a-z][a-z0-9_]*$`);
  return new SecretRef(name);
}

/** The real value of a var that may be a Secret. */
export function reveal(value: string | Secret): string {
  return value instanceof Secret ? value.reveal() : value;
}

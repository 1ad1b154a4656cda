// Template rendering with ejs: strict variables, secrets revealed only into the rendered file.
import { readFileSync } from "node:fs";
import ejs from "ejs";
import { envFileValue, keyOptionValue, shellWord, sqlString } from "./encode.ts";
import { Secret } from "./secret.ts";

export interface Rendered {
  content: string;
  /** True when a secret value went into the content: its diff must not be shown. */
  sensitive: boolean;
}

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`template ${file}: ${message}`);
    this.name = "TemplateError";
  }
}

const compiled = new Map<string, ejs.TemplateFunction>();

/** The escape hook of the render in progress (rendering is synchronous, so one slot is enough). */
let insertValue: (value: unknown) => string = String;

/** Make a missing property an error that names the whole path (vars.db.host), not "undefined". */
function strictView(value: unknown, path: string): unknown {
  if (value === null || typeof value !== "object" || value instanceof Secret) return value;
  return new Proxy(value as object, {
    get(target, property, receiver) {
      if (typeof property === "symbol" || property in target || property === "toJSON" || property === "then") {
        return strictView(Reflect.get(target, property, receiver), `${path}.${String(property)}`);
      }
      throw new ReferenceError(`${path}.${property} is not defined`);
    },
  });
}

function compile(file: string, names: string[]): ejs.TemplateFunction {
  const key = `${file}\0${names.join(",")}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = ejs.compile(readFileSync(file, "utf8"), {
      filename: file,
      strict: true,
      destructuredLocals: names,
      compileDebug: true,
      escape: (value: unknown) => insertValue(value),
    });
    compiled.set(key, fn);
  }
  return fn;
}

/**
 * Render an ejs file with `data` as top-level names. `<%= name %>` inserts a value as is
 * (no HTML escaping: these are config files) and reveals Secret values; an undefined
 * name or property fails with the template file and line. `encode.shell(value)`, `encode.envFile`, `encode.keyOption`
 * and `encode.sql` write a value encoded for where it lands (lib/encode.ts).
 */
export function renderTemplate(file: string, data: Record<string, unknown>): Rendered {
  let sensitive = false;
  const reveal = (value: unknown): string => {
    if (value === undefined) throw new ReferenceError("a value inserted with <%= %> is undefined");
    if (value instanceof Secret) {
      sensitive = true;
      return value.reveal();
    }
    return String(value);
  };
  // The encoders a template writes a value with where it lands (a Secret revealed into them, marking the file sensitive).
  const encoder =
    (encode: (text: string) => string) =>
    (value: unknown): string =>
      encode(reveal(value));
  const encoders = {
    shell: encoder(shellWord),
    envFile: encoder(envFileValue),
    keyOption: encoder(keyOptionValue),
    sql: encoder(sqlString),
  };
  const names = [...Object.keys(data), "encode"].sort();
  const view = Object.fromEntries(
    names.map((name) => [name, name === "encode" ? encoders : strictView(data[name], name)]),
  );
  let fn: ejs.TemplateFunction;
  try {
    fn = compile(file, names);
  } catch (error) {
    throw new TemplateError(file, (error as Error).message);
  }
  try {
    insertValue = reveal;
    return { content: fn(view) as string, sensitive };
  } catch (error) {
    throw new TemplateError(file, (error as Error).message);
  } finally {
    insertValue = String;
  }
}

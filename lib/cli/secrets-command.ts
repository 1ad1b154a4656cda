// The secrets command: identity, list, set, edit, recipients and rotate for one environment's secrets file.
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { splitWords } from "./split-words.ts";
import { parseCli, STEP_FLAGS, usageOf, type CliOptions, type CommandOptions, type FlagName } from "./args.ts";
import { REPO_ROOT } from "./connector.ts";
import { sayer } from "./steps.ts";
import { InputError } from "../errors.ts";
import { loadInventory } from "../inventory/load.ts";
import type { Inventory, InventorySpec } from "../inventory/types.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { editValues } from "../secrets/edit.ts";
import { defaultIdentityFile, findIdentities, IDENTITY_FILE_ENV, writeIdentityFile } from "../secrets/identity.ts";
import { readRecipients, recipientsPathOf, writeRecipients } from "../secrets/recipients.ts";
import { retiringKey, rotateSecret, secretNames, type ApplyRotation } from "../secrets/rotation.ts";
import { Secret } from "../secret.ts";
import { secretsFileFor } from "../secrets/open-file.ts";
import type { SecretsFile } from "../secrets/secrets-file.ts";
import { generateSecretValue, secretEnvName } from "../secrets/store.ts";
import { secretUses, type SecretUse } from "./secret-usage.ts";
import { counted } from "../report/words.ts";

/** The subcommands, in the order the help lists them. */
export const SECRETS_COMMANDS = ["identity", "list", "set", "edit", "recipients", "rotate"] as const;

/** secrets.ts --help; it names your identity file (the CLI reference shows it as under ~/.config). */
export const secretsHelp = (
  identityFile = defaultIdentityFile(),
) => `Usage: npx tsx playbooks/secrets.ts COMMAND [ARGS] [-i ENV] [options]

Commands:
  identity                     print your age public key (creating your key in ${identityFile} if you have none)
  list                         every secret: whether it has a value, which roles and hosts use it
  set NAME [--generate]        store NAME's value, read from stdin (or a new random one)
  edit                         edit every value in $EDITOR (through a 0600 file on tmpfs, removed after)
  recipients                   who can decrypt the environment's file
  recipients add KEY [OWNER]   let KEY (age1…) decrypt: the file is re-encrypted to every recipient
  recipients remove KEY|OWNER  take access away (re-encrypts; the old values must then be rotated)
  rotate NAME...               new value, applied to every host that uses it (DB passwords without a failed request)

The identity comes from $FOOBAR_AGE_IDENTITY (the key), $${IDENTITY_FILE_ENV} (a file), or ${identityFile}.
Values are never printed. rotate takes the converge options below; each command's own: docs/cli.md.

${usageOf(...SECRETS_COMMANDS.map(secretsCommandOptions))}`;

export interface SecretsCommandSite {
  inventory: InventorySpec;
  /** The playbook whose roles use the secrets (what `list` reports, what a rotation converges). */
  playbook: Playbook;
  /** Ways to apply particular rotations without failed requests; others converge the playbook on the hosts using them. */
  rotations: Record<string, (cli: CliOptions, say: (line: string) => void) => ApplyRotation>;
  /** Converge `playbook` on `limit`; returns the exit code. */
  converge: (cli: CliOptions, limit: string) => Promise<number>;
}

/** What every subcommand works with. */
interface Context {
  site: SecretsCommandSite;
  cli: CliOptions;
  inventory: Inventory;
  file: SecretsFile;
  /** A line of narrative: plain, or `{"type":"secrets","message":…}` under --json; masked either way. */
  say: (line: string) => void;
}

/** A rotation converges every host that uses the secret: the options of a converge, but not a narrower selection. */
const ROTATE_HONOURS: FlagName[] = ["environment", "check", "diff", "forks", ...STEP_FLAGS];
const NOT_A_CONVERGE = "this secrets command converges nothing";

/** What each subcommand takes; an option another one honours is refused, never ignored. */
export function secretsCommandOptions(command: string): CommandOptions {
  const name = `secrets.ts ${command}`;
  switch (command) {
    case "identity":
      return {
        name,
        honours: ["json"],
        refusals: { environment: "your age identity is the same for every environment" },
        refusal: NOT_A_CONVERGE,
      };
    case "set":
      return {
        name,
        extra: { generate: { type: "boolean" } },
        honours: ["environment", "json"],
        refusal: NOT_A_CONVERGE,
      };
    case "rotate":
      return {
        name,
        honours: ROTATE_HONOURS,
        refusals: {
          limit: "a rotation applies the new value to every host that uses the secret",
          tags: "a rotation converges the roles that use the secret",
          skipTags: "a rotation converges the roles that use the secret",
          listHosts: "`secrets.ts list` names the hosts that use each secret",
        },
      };
    default:
      return { name, honours: ["environment", "json"], refusal: NOT_A_CONVERGE };
  }
}

function readStdin(): string {
  if (process.stdin.isTTY)
    throw new InputError([
      'secrets set: pipe the value in (e.g. `read -rs v && printf %s "$v" | npx tsx playbooks/secrets.ts set NAME`), or use --generate',
    ]);
  return readFileSync(0, "utf8").replace(/\r?\n$/, "");
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

function needsEncrypted(file: SecretsFile, inventory: Inventory): void {
  if (!file.encrypted)
    throw new InputError([
      `environment ${inventory.environment} keeps its secrets in the clear file ${file.name} (a throw-away lab): it has no recipients`,
    ]);
}

async function identity(say: Context["say"]): Promise<void> {
  const found = findIdentities();
  if (found && found.keys.length > 0) {
    for (const key of found.keys) say(`${await identityToRecipient(key)}   (from ${found.source})`);
    return;
  }
  const file = process.env[IDENTITY_FILE_ENV] || defaultIdentityFile();
  const key = await generateX25519Identity();
  const recipient = await identityToRecipient(key);
  writeIdentityFile(file, key, recipient);
  say(`created your age identity in ${file} (mode 0600; keep it out of backups you do not trust)`);
  say(recipient);
  say(
    "send this public key to someone with access; they run `secrets.ts -i ENV recipients add <key> <your name>` and commit",
  );
}

async function list({ site, inventory, file, say }: Context): Promise<void> {
  const uses = secretUses(site.playbook, inventory);
  let values: Record<string, string> = {};
  let unreadable = "";
  try {
    values = await file.read();
  } catch (error) {
    unreadable = (error as Error).message;
  }
  const names = [...new Set([...uses.map((use) => use.name), ...secretNames(values)])].sort();
  say(
    `secrets of ${inventory.environment} (${file.name}${file.encrypted ? `, encrypted to ${counted(readRecipients(recipientsPathOf(file.path)).length, "recipient")}` : ", clear: a throw-away environment"}):`,
  );
  for (const name of names) {
    const use = uses.find((item) => item.name === name);
    const source =
      process.env[secretEnvName(name)] !== undefined
        ? `from ${secretEnvName(name)}`
        : unreadable
          ? "?"
          : values[name] !== undefined
            ? "set"
            : "MISSING";
    const rotating = values[retiringKey(name)] !== undefined ? ", rotation unfinished" : "";
    say(
      `  ${name.padEnd(24)} ${(source + rotating).padEnd(12)} ${use ? whereUsed(use) : "used by no role or host here"}`,
    );
  }
  if (unreadable) say(`(values not checked: ${unreadable})`);
}

/** "roles app; hosts web-01, web-02", "sudo password (become) on mon-01", or both. */
function whereUsed(use: SecretUse): string {
  return [
    use.roles.length ? `roles ${use.roles.join(", ")}; hosts ${use.hosts.join(", ")}` : "",
    use.becomeHosts.length ? `sudo password (become) on ${use.becomeHosts.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

async function set(
  { site, inventory, file, say }: Context,
  name: string | undefined,
  generate: boolean,
): Promise<void> {
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name))
    throw new InputError([`secrets set: a name like db_app_password is needed, found "${name ?? ""}"`]);
  const value = generate ? generateSecretValue() : readStdin();
  if (value.length < 8) throw new InputError([`secret "${name}" must be at least 8 characters long`]);
  new Secret(name, value); // masked from here on
  const values = await file.read();
  values[name] = value;
  await file.write(values);
  const used = secretUses(site.playbook, inventory).some((use) => use.name === name);
  say(
    `${name}: stored in ${file.name}${used ? "; the next converge applies it (`secrets.ts rotate` does it without failed requests)" : " (no role of this playbook uses it)"}`,
  );
}

async function edit({ file, say }: Context): Promise<void> {
  const values = await file.read();
  for (const [name, value] of Object.entries(values)) if (value.length >= 4) new Secret(name, value);
  const edited = await editValues(values, file.name);
  if (!edited) return say(`${file.name}: unchanged`);
  await file.write(edited);
  say(`${file.name}: saved (${Object.keys(edited).length} values)`);
}

async function recipients(context: Context, words: string[]): Promise<number> {
  const { inventory, file, say } = context;
  needsEncrypted(file, inventory);
  const path = recipientsPathOf(file.path);
  const current = readRecipients(path);
  const [action, key, ...owner] = words;
  if (action === undefined) {
    if (current.length === 0)
      say(
        `${recipientsPathOf(file.name)} does not exist yet: nobody can decrypt ${file.name}. Start it with your own key: \`secrets.ts identity\`, then \`secrets.ts -i ${inventory.environment} recipients add KEY "Your Name"\``,
      );
    for (const recipient of current) say(`${recipient.key} ${recipient.owner}`);
    return 0;
  }
  if ((action !== "add" && action !== "remove") || !key)
    throw new InputError(["secrets recipients: `add KEY [OWNER]` or `remove KEY|OWNER`"]);
  const values = await file.read();
  if (action === "add") {
    if (current.some((recipient) => recipient.key === key)) {
      say(`${key} is a recipient already`);
      return 0;
    }
    writeRecipients(path, [...current, { key, owner: owner.join(" ") }]);
    try {
      await file.write(values);
    } catch (error) {
      writeRecipients(path, current);
      throw error;
    }
    say(`${key} can now decrypt ${file.name}; commit ${file.name} and ${recipientsPathOf(file.name)}`);
    return 0;
  }
  const kept = current.filter((recipient) => recipient.key !== key && recipient.owner !== key);
  if (kept.length === current.length) throw new InputError([`${recipientsPathOf(file.name)} has no recipient ${key}`]);
  if (kept.length === 0) throw new InputError([`removing ${key} would leave ${file.name} with no one able to read it`]);
  writeRecipients(path, kept);
  await file.write(values);
  const names = secretNames(values);
  say(
    `${key} can no longer decrypt what is written from now on. They could read the values before, and git history keeps the old file: rotate them (${names.join(", ")}).`,
  );
  if (await confirm(`Rotate all ${names.length} now (each converges the hosts that use it)?`))
    return rotate(context, names);
  say(`later: npx tsx playbooks/secrets.ts rotate ${names.join(" ")} -i ${inventory.environment}`);
  return 0;
}

async function rotate({ site, cli, inventory, file, say }: Context, names: string[]): Promise<number> {
  if (names.length === 0) throw new InputError(["secrets.ts rotate: name the secrets to rotate"]);
  const uses = secretUses(site.playbook, inventory);
  const unused = names.filter((name) => !uses.some((item) => item.name === name && item.roles.length));
  if (unused.length)
    throw new InputError(
      unused.map((name) => {
        const become = uses.find((item) => item.name === name)?.becomeHosts ?? [];
        return become.length
          ? `secrets.ts rotate: ${name} is the sudo password on ${become.join(", ")}, which no role sets: change it there (passwd), then \`secrets.ts -i ${inventory.environment} set ${name}\``
          : `secrets.ts rotate: no role of ${site.playbook.name} uses ${name} in ${inventory.environment}`;
      }),
    );
  if (cli.check) {
    for (const name of names) {
      const use = uses.find((item) => item.name === name)!;
      say(
        `--check: ${name}: would store a new value in ${file.name}, then apply it to ${use.hosts.join(", ")} (roles ${use.roles.join(", ")})${site.rotations[name] ? ", the account accepting the old and the new password until every web host has been drained, converged with the new one and put back" : " by converging them"}`,
      );
    }
    say("--check: nothing was changed");
    return 2;
  }
  for (const name of names) {
    const use = uses.find((item) => item.name === name)!;
    const plan = site.rotations[name]?.(cli, say) ?? (async () => site.converge(cli, use.hosts.join(",")));
    const code = await rotateSecret(file, name, plan, say);
    if (code !== 0) return code;
  }
  return 0;
}

/** Run the secrets command; returns the exit code (4 for bad input, such as no identity for the file). */
export async function secretsCommand(site: SecretsCommandSite, argv = process.argv.slice(2)): Promise<number> {
  const { words, options } = splitWords(
    argv,
    Object.fromEntries(
      SECRETS_COMMANDS.flatMap((command) => Object.entries(secretsCommandOptions(command).extra ?? {})),
    ),
  );
  const [command, ...rest] = words;
  if (!command) {
    if (options.includes("--help") || options.includes("-h")) {
      console.log(secretsHelp());
      return 0;
    }
    console.error(secretsHelp());
    return 4;
  }
  const cli = parseCli(options, secretsCommandOptions(command));
  if (cli.help) {
    console.log(secretsHelp());
    return 0;
  }
  const say = sayer(cli, "secrets");
  if (command === "identity") return identity(say).then(() => 0);
  const inventory = loadInventory(site.inventory, cli.environment);
  const context: Context = {
    site,
    cli,
    inventory,
    say,
    file: secretsFileFor(inventory.secretsFile, REPO_ROOT, inventory.environment),
  };
  switch (command) {
    case "list":
      return list(context).then(() => 0);
    case "set":
      return set(context, rest[0], cli.extra.generate === true).then(() => 0);
    case "edit":
      return edit(context).then(() => 0);
    case "recipients":
      return recipients(context, rest);
    case "rotate":
      return rotate(context, rest);
    default:
      throw new InputError([`secrets.ts: unknown command "${command}" (${SECRETS_COMMANDS.join(", ")})`]);
  }
}

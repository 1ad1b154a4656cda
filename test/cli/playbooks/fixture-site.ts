// Test playbooks: the inventory, roles and playbooks cli-converge.test and secrets-cli.test run through bin/foobar-infra, built from $FOOBAR_CLI_FIXTURE.
import { defineInventory } from "../../../lib/inventory/define.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import { RoleVars, SecretVar } from "../../../lib/dsl/role-vars.ts";
import { secret } from "../../../lib/secret.ts";
import { fixtureConfig } from "./fixture-config.ts";

const config = fixtureConfig();

export const inventory = defineInventory({
  environments: {
    [config.environment]: {
      hosts: Object.fromEntries(
        Object.entries(config.hosts).map(([name, port]) => [
          name,
          { address: "127.0.0.1", ssh: { port }, become: false },
        ]),
      ),
      groups: { fixture: { hosts: Object.keys(config.hosts) } },
      ssh: { user: config.user, key: config.key, knownHosts: config.knownHosts, connectTimeoutMs: 10_000 },
      secretsFile: config.secretsFile,
      vars: config.vault ? { cli_vault: { token: secret("cli_token") } } : {},
    },
  },
});

/** Two files per host, one tagged "extra"; with slowSeconds, a command tagged "slow" that sleeps. */
const files = defineRole({
  name: "cli_files",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tags: ["extra", "slow"],
  tasks: ({ host, r }) => {
    const dir = `${config.root}/${host.name}`;
    const slow = config.slowSeconds;
    return [
      r.directory(dir, { mode: "0755" }),
      r.file(`${dir}/base.conf`, `base of ${host.name}\n`, { mode: "0644" }),
      r.file(`${dir}/extra.conf`, "extra\n", { mode: "0644", tags: ["extra"] }),
      ...(slow
        ? [
            r.command("slow", `sleep ${slow} && touch ${dir}/slow.done`, {
              creates: `${dir}/slow.done`,
              tags: ["slow"],
            }),
          ]
        : []),
    ];
  },
});

/** The secret cli_token written to <root>/NAME/token. */
const vault = defineRole({
  name: "cli_vault",
  dir: import.meta.dirname,
  schema: RoleVars({ token: SecretVar({ description: "The value written to the host's token file." }) }),
  tasks: ({ host, vars, r }) => [
    r.directory(`${config.root}/${host.name}`, { mode: "0755" }),
    r.file(`${config.root}/${host.name}/token`, vars.token.reveal(), { mode: "0600" }),
  ],
});

export const filesPlaybook = definePlaybook("cli_files", [{ name: "files", hosts: "fixture", roles: [files] }]);
export const vaultPlaybook = definePlaybook("cli_vault", [{ name: "vault", hosts: "fixture", roles: [vault] }]);

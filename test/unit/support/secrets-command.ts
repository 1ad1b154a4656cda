// Test support: secrets.ts (lib/cli/secrets-command.ts) on a site of two web hosts whose role uses app_pw and whose
// web2 logs in with the sudo password sudo_pw, the secrets file given; what a command printed and how it ended.
import * as assert from "uvu/assert";
import { secretsCommand, type SecretsCommandSite } from "../../../lib/cli/secrets-command.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import { RoleVars } from "../../../lib/dsl/role-vars.ts";
import { defineInventory } from "../../../lib/inventory/define.ts";
import { secret } from "../../../lib/secret.ts";

const app = defineRole({ name: "app", dir: import.meta.dirname, schema: RoleVars({}), tasks: () => [] });

function site(secretsFile: string, more: Partial<SecretsCommandSite>): SecretsCommandSite {
  return {
    inventory: defineInventory({
      environments: {
        test: {
          ssh: { user: "ops" },
          secretsFile,
          vars: { app: { pw: secret("app_pw") } },
          hosts: {
            web1: { address: "10.0.0.1" },
            web2: { address: "10.0.0.2", ssh: { becomePassword: secret("sudo_pw") } },
          },
          groups: { web: { hosts: ["web1", "web2"] } },
        },
      },
    }),
    playbook: definePlaybook("site", [{ name: "web", hosts: "web", roles: [app] }]),
    rotations: {},
    converge: async () => assert.unreachable("no converge expected") as never,
    ...more,
  };
}

/** What `secrets ARGV` printed on stdout and stderr, and its exit code or the message it threw. */
export async function secrets(secretsFile: string, argv: string[], more: Partial<SecretsCommandSite> = {}) {
  let out = "";
  let err = "";
  const { log, error } = console;
  console.log = (line: string) => {
    out += `${line}\n`;
  };
  console.error = (line: string) => {
    err += `${line}\n`;
  };
  try {
    return { code: await secretsCommand(site(secretsFile, more), argv), out, err };
  } catch (thrown) {
    return { error: (thrown as Error).message, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

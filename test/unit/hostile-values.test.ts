// Trust boundaries: hostile strings (quotes, $(), backticks, ;, line breaks, NUL, a leading -, lookalike unicode, very
// long) for every string var of every role of the site and every field of the inventory. Each is refused before any
// connection by an error naming host, role and var (or environment, host and field), or it reaches what the play
// renders as inert data: rendered, then read back, the texts are the valid value's with only the value changed.
import { writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventorySpec from "../../hosts.ts";
import { openSynthesis } from "../../lib/docs/synthesis.ts";
import type { Play } from "../../lib/dsl/playbook.ts";
import { envFileValue, keyOptionValue, shellWord, sqlString } from "../../lib/encode.ts";
import { InputError } from "../../lib/errors.ts";
import type { EnvironmentSpec } from "../../lib/inventory/types.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { mergeRoleVars, validateRoleVars } from "../../lib/runner/vars.ts";
import { Secret, SecretRef } from "../../lib/secret.ts";
import { site } from "../../playbooks/site.ts";
import { hostileValues, seededRandom } from "./support/hostile.ts";
import { renderedTexts } from "./support/rendered.ts";
import { scratchDir } from "./support/scratch.ts";

const SEED = 31;
/**
 * The lab environment, its controller CA files (written by `npm run lab -- up`, absent on a fresh clone) replaced by
 * one in a scratch directory, so that the test reads nothing the lab makes.
 */
function labWithScratchCa() {
  const lab = inventorySpec.environments.lab!;
  const ca = join(scratchDir("hostile-ca-"), "ca.pem");
  writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  const vars = lab.vars as Record<string, Record<string, unknown>>;
  const env = {
    ...lab,
    vars: {
      ...vars,
      certbot: { ...vars.certbot, acme_ca_bundle: ca },
      prometheus: { ...vars.prometheus, probe_ca_bundle: ca },
    },
  };
  return { environments: { lab: env as EnvironmentSpec } };
}

const inventory = loadInventory(labWithScratchCa(), "lab");
const synthesise = await openSynthesis(inventory, scratchDir("hostile-"));

/** A string var's place: the role's var and, inside it, "[]" for an array's first item or a property name. */
type Path = [string, ...string[]];

type Schema = {
  type?: string;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  enum?: unknown[];
  secret?: boolean;
};

/** Every string leaf of a schema, once per path (enums included: a value outside one is refused too), with an enum's first value. */
function stringPaths(schema: Schema, path: string[] = []): [string[], unknown][] {
  if (schema.anyOf) return schema.anyOf.flatMap((form) => stringPaths(form, path));
  if (schema.type === "string") return [[path, schema.enum?.[0]]];
  if (schema.type === "array" && schema.items) return stringPaths(schema.items, [...path, "[]"]);
  if (schema.type === "object" && schema.properties)
    return Object.entries(schema.properties).flatMap(([name, property]) => stringPaths(property, [...path, name]));
  return [];
}

/** A valid first item for arrays that are empty by default, and a valid value for optional vars without a default. */
const SAMPLES: Record<string, unknown> = {
  "haproxy/extra_global": ["maxconnrate 1000"],
  "haproxy/extra_defaults": ["timeout queue 5s"],
  "haproxy/extra_frontend": ["http-response set-header X-Marker on"],
  "haproxy/extra_backend": ["http-check expect status 200"],
  "ufw/extra_rules": [{ port: "8080", proto: "tcp", from: "10.0.0.0/8" }],
  "ssh_hardening/allow_users": ["debian"],
  "app/version": "r-1",
  "app/db_primary_host": "db-01.lab.example",
  "app/db_replica_host": "db-02.lab.example",
  "haproxy/stats_address": "192.168.56.10",
  "keepalived/second_vip": "192.168.56.101",
  "keepalived/vrrp_interface": "eth0",
  "keepalived/vip_interface": "eth0",
  "prometheus/alert_webhook_url": "https://hooks.example.com/alerts?team=ops",
};

/** `value` with the string at `path` (below the var) replaced by `leaf`. */
function withLeaf(value: unknown, path: string[], leaf: string): unknown {
  if (path.length === 0) return leaf;
  const [step, ...rest] = path;
  if (step === "[]") {
    const items = Array.isArray(value) ? [...value] : [];
    return [withLeaf(items[0], rest, leaf), ...items.slice(1)];
  }
  const object = { ...(value as Record<string, unknown>) };
  object[step!] = withLeaf(object[step!], rest, leaf);
  return object;
}

/** The valid string at `path` (below the var) in `value`. */
function leafOf(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (at, step) =>
      at === undefined ? undefined : step === "[]" ? (at as unknown[])[0] : (at as Record<string, unknown>)[step],
    value,
  );
}

/** The forms a value takes where it lands: as is, its directory and file name (a path's), and through each encoder (lib/encode.ts) and JSON. */
const LANDINGS = [
  (value: string) => value,
  (value: string) => (value.startsWith("/") ? dirname(value) : value),
  (value: string) => (value.startsWith("/") ? basename(value) : value),
  (value: string) => value.replace(/^https?:\/\/[^/]*/, ""), // a URL's path, on another host (keepalived's check of the VIP)
  shellWord,
  envFileValue,
  keyOptionValue,
  sqlString,
  (value: string) => JSON.stringify(value),
];
const encodable = (encode: (value: string) => string, value: string) => {
  try {
    return encode(value);
  } catch {
    return undefined;
  }
};

/** `texts` read back line by line: in each line that differs from `baseline`'s, each form of `hostile` replaced by the same form of `valid` (longest forms first); a text with more or fewer lines stays as it is. */
function readBack(texts: string[], baseline: string[], hostile: string, valid: string): string[] {
  const pairs = LANDINGS.map((encode) => [encodable(encode, hostile), encodable(encode, valid)] as const)
    .filter((pair): pair is readonly [string, string] => pair[0] !== undefined && pair[1] !== undefined)
    .sort((a, b) => b[0].length - a[0].length);
  // A form is replaced where it stands alone: not inside a longer word (foobar- in .foobar-new is not the value).
  const alone = (form: string) =>
    new RegExp(`(?<![A-Za-z0-9_])${form.replace(/[.*+?^$()[\]{}|\\]/g, "\\$&")}(?![A-Za-z0-9_])`, "g");
  // A raw config line (Lines) lands as a whole line, indented: read back as such first.
  const readLine = (line: string) =>
    line.trimStart() === hostile
      ? line.slice(0, line.length - hostile.length) + valid
      : pairs.reduce((read, [from, to]) => read.replace(alone(from), () => to), line);
  return texts.map((text, index) => {
    const lines = text.split("\n");
    const validLines = (baseline[index] ?? "").split("\n");
    if (text === baseline[index] || lines.length !== validLines.length) return text;
    return lines.map((line, at) => (line === validLines[at] ? line : readLine(line))).join("\n");
  });
}

/** The play of the site that runs `role`, and the first host it runs on. */
const roleUses = site.plays.flatMap((play) =>
  play.roles.map((use) => {
    const role = "role" in use ? use.role : use;
    const hostName = play.hosts === "all" ? inventory.hosts[0]!.name : inventory.group(play.hosts as string)[0]!.name;
    return { role, play, hostName };
  }),
);
const seenRoles = new Set<string>();

test("every string var of every role: refused naming host, role and var, or inert in what the play renders", () => {
  const random = seededRandom(SEED);
  const tried: string[] = [];
  for (const { role, play, hostName } of roleUses) {
    if (seenRoles.has(role.name)) continue;
    seenRoles.add(role.name);
    const host = inventory.host(hostName);
    const merged = mergeRoleVars(role, inventory, host);
    // The vars as the run validates them: each secret("name") resolved (to a stand-in value).
    const resolved = Object.fromEntries(
      Object.entries(merged).map(([key, value]) => [
        key,
        value instanceof SecretRef ? new Secret(value.name, "stand-in-secret-value") : value,
      ]),
    );
    const paths = new Map(
      stringPaths(role.schema as Schema).map(([path, first]) => [path.join("/"), [path as Path, first] as const]),
    );
    for (const [shown, [path, first]] of paths) {
      const [name, ...below] = path;
      const sample = SAMPLES[`${role.name}/${name}`];
      const base = leafOf(merged[name], below) === undefined && sample !== undefined ? sample : merged[name];
      const valid = leafOf(base, below) ?? first;
      assert.type(valid, "string", `${role.name}/${shown}: no valid value to plant hostile strings in (add a sample)`);
      const playWith = (leaf: string): Play => ({
        ...play,
        roles: [{ role, vars: { [name]: withLeaf(base, below, leaf) } }],
      });
      const baseline = renderedTexts(synthesise(playWith(valid as string), hostName));
      const values = hostileValues(valid as string, random);
      let refused = 0;
      const accepted: string[] = [];
      for (const value of values) {
        let texts: string[];
        try {
          // The run's own check first (plan.ts's validateRoleVars, which a refused value never gets past), then the play.
          const problems = validateRoleVars(role, host, { ...resolved, [name]: withLeaf(base, below, value) });
          if (problems.length > 0) throw new InputError(problems);
          texts = renderedTexts(synthesise(playWith(value), hostName));
        } catch (error) {
          assert.instance(error, InputError, `${role.name}/${shown} = ${JSON.stringify(value).slice(0, 60)}: ${error}`);
          // The leaf's own path, or the union or list it is part of (/tier_rules/0/from for an item of it).
          const pointer = `/${[name, ...below.map((step) => (step === "[]" ? "0" : step))].join("/")}`;
          // A role's own refusal (a value of the right format that names nothing on the controller) names the var in words.
          const names = (problem: string) => {
            const said = /^host (\S+), role (\S+): (\/\S*):/.exec(problem);
            if (said) return said[1] === hostName && said[2] === role.name && `${pointer}/`.startsWith(`${said[3]}/`);
            return (
              problem.startsWith(`host ${hostName}, `) &&
              problem.includes(`role ${role.name}: `) &&
              problem.includes(`(var ${name})`)
            );
          };
          assert.ok(
            (error as InputError).problems.some(names),
            `${role.name}/${shown}: the refusal names host, role and var: ${(error as Error).message.slice(0, 300)}`,
          );
          refused++;
          continue;
        }
        assert.ok(value.length <= 1100, `${role.name}/${shown}: a value of ${value.length} characters was accepted`);
        accepted.push(value);
        const read = readBack(texts, baseline, value, valid as string);
        const differing = read.findIndex((text, index) => text !== baseline[index]);
        assert.ok(
          read.length === baseline.length && differing === -1,
          `${role.name}/${shown} = ${JSON.stringify(value).slice(0, 80)} was accepted and is not inert where it lands: ` +
            `${JSON.stringify(read[differing])?.slice(0, 400)} read back, ${JSON.stringify(baseline[differing])?.slice(0, 400)} rendered from the valid value`,
        );
      }
      const shownAccepted =
        accepted.length > 0 && accepted.length < 4
          ? `: ${accepted.map((value) => JSON.stringify(value)).join(", ")} inert`
          : "";
      tried.push(`${role.name}/${shown}: ${values.length} (${refused} refused${shownAccepted})`);
    }
  }
  assert.ok(tried.length > 50, `only ${tried.length} string vars found`);
  console.log(`hostile values tried per var (seed ${SEED}):\n  ${tried.join("\n  ")}`);
});

/** The lab environment with one field of host db-02 (or of the environment) set to `value`. */
type FieldPlace = { field: string; valid: unknown; set: (env: EnvironmentSpec, value: unknown) => void; shown: string };
const HOST = "db-02";
const hostField = (
  field: string,
  set: (spec: Record<string, any>, value: unknown) => void,
  valid: unknown,
): FieldPlace => ({
  field,
  valid,
  shown: `host "${HOST}": ${field}`,
  set: (env, value) => set(env.hosts[HOST] as Record<string, any>, value),
});
const envField = (
  field: string,
  set: (env: Record<string, any>, value: unknown) => void,
  valid: unknown,
): FieldPlace => ({
  field,
  valid,
  shown: field,
  set: (env, value) => set(env as Record<string, any>, value),
});
const FIELDS: FieldPlace[] = [
  hostField("address", (spec, value) => (spec.address = value), "192.168.56.22"),
  hostField("privateAddress", (spec, value) => (spec.privateAddress = value), "192.168.56.22"),
  hostField("ssh.user", (spec, value) => (spec.ssh = { ...spec.ssh, user: value }), "debian"),
  hostField("ssh.port", (spec, value) => (spec.ssh = { ...spec.ssh, port: value }), "22"),
  hostField("ssh.key", (spec, value) => (spec.ssh = { ...spec.ssh, key: value }), ".lab/ssh/id_ed25519"),
  hostField("ssh.knownHosts", (spec, value) => (spec.ssh = { ...spec.ssh, knownHosts: value }), ".lab/ssh/known_hosts"),
  envField("ssh.user", (env, value) => (env.ssh = { ...env.ssh, user: value }), "debian"),
  envField("secretsFile", (env, value) => (env.secretsFile = value), ".lab/secrets.json"),
  envField(
    "runMetrics.directory",
    (env, value) => (env.runMetrics = { ...env.runMetrics, directory: value }),
    "/var/lib/node_exporter",
  ),
];

test("every inventory field: refused naming environment, host and field; a host or group name likewise", () => {
  const random = seededRandom(SEED + 1);
  const tried: string[] = [];
  const envOf = (change: (env: EnvironmentSpec) => void) => {
    const env = structuredClone({
      ...inventorySpec.environments.lab!,
      hosts: { ...inventorySpec.environments.lab!.hosts },
    }) as EnvironmentSpec;
    change(env);
    return { environments: { lab: env } };
  };
  const refusal = (spec: ReturnType<typeof envOf>) => {
    try {
      loadInventory(spec, "lab");
      return undefined;
    } catch (error) {
      assert.instance(error, InputError);
      return (error as InputError).problems;
    }
  };
  for (const place of FIELDS) {
    const values = hostileValues(String(place.valid), random);
    let refused = 0;
    for (const value of values) {
      const problems = refusal(envOf((env) => place.set(env, value)));
      if (problems === undefined) {
        // Accepted: only a value of the field's own format, with nothing hostile in it, may pass.
        assert.match(
          value,
          /^[A-Za-z0-9._/:-]+$/,
          `inventory lab: ${place.shown} accepted ${JSON.stringify(value).slice(0, 80)}`,
        );
        continue;
      }
      assert.ok(
        problems.some((problem) => problem.startsWith(`inventory lab: ${place.shown} must be `)),
        `${place.shown}: ${problems.join("; ").slice(0, 300)}`,
      );
      refused++;
    }
    tried.push(`${place.shown}: ${values.length} (${refused} refused)`);
  }
  for (const [kind, rename] of [
    [
      "host name",
      (env: EnvironmentSpec, value: string) => {
        env.hosts = { ...env.hosts, [value]: env.hosts[HOST]! };
        delete env.hosts[HOST];
        env.groups = { ...env.groups, db_replica: { hosts: [value] } };
      },
    ],
    [
      "group name",
      (env: EnvironmentSpec, value: string) => {
        env.groups = { ...env.groups, [value]: { hosts: [HOST] } };
      },
    ],
  ] as const) {
    const values = hostileValues(kind === "host name" ? HOST : "db_replica", random);
    let refused = 0;
    for (const value of values) {
      const problems = refusal(envOf((env) => rename(env, value)));
      if (problems === undefined) {
        assert.match(
          value,
          /^[A-Za-z0-9._-]+$/,
          `inventory lab: ${kind} ${JSON.stringify(value).slice(0, 80)} accepted`,
        );
        continue;
      }
      assert.ok(
        problems.some((problem) => problem.includes(`${kind} `)),
        `${kind}: ${problems.join("; ").slice(0, 300)}`,
      );
      refused++;
    }
    tried.push(`${kind}: ${values.length} (${refused} refused)`);
  }
  console.log(`hostile values tried per inventory field (seed ${SEED + 1}):\n  ${tried.join("\n  ")}`);
});

test.run();

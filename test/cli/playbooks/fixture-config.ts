// Test playbooks: what the fixture site is built from, passed to each run in $FOOBAR_CLI_FIXTURE (JSON).

export interface FixtureConfig {
  /** The inventory's one environment (-i NAME). */
  environment: string;
  /** Scratch directory: host NAME's files go under <root>/NAME/. */
  root: string;
  /** Each host's name and the port of its SSH server on 127.0.0.1. */
  hosts: Record<string, number>;
  /** SSH login, private key and known_hosts (absolute paths). */
  user: string;
  key: string;
  knownHosts: string;
  /** The environment's secrets file (absolute: never the repository's secrets/). */
  secretsFile: string;
  /** cli_files gets a command tagged "slow" that sleeps this long. */
  slowSeconds?: number;
  /** The inventory gives cli_vault its token: secret("cli_token"). */
  vault?: boolean;
}

export const FIXTURE_ENV = "FOOBAR_CLI_FIXTURE";

/** The run's configuration; throws when the variable is not set (the fixture runs only under its tests). */
export function fixtureConfig(): FixtureConfig {
  const text = process.env[FIXTURE_ENV];
  if (!text)
    throw new Error(`${FIXTURE_ENV} is not set: this fixture runs only under cli-converge.test and secrets-cli.test`);
  return JSON.parse(text) as FixtureConfig;
}

// The app's environment parsing: defaults, database settings, errors naming the variable, passwords kept out of logs.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, describeConfig, loadConfig } from "../../app/src/config.ts";

const DB_ENV = {
  APP_VERSION: "r-0123456789ab",
  DB_PRIMARY_HOST: "10.0.0.21",
  DB_REPLICA_HOST: "10.0.0.22",
  DB_NAME: "foobar",
  DB_PORT: "3306",
  DB_USER: "foobar_app",
  DB_PASSWORD: "s3cret-writer",
  DB_READ_USER: "foobar_read",
  DB_READ_PASSWORD: "s3cret-reader",
};

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

test("an empty environment: defaults and no database", () => {
  assert.equal(loadConfig({}), { version: "dev", listenHost: "127.0.0.1", listenPort: 3000, database: null });
});

test("listen settings and version are read", () => {
  const config = loadConfig({ APP_VERSION: "r-abc", LISTEN_HOST: "0.0.0.0", LISTEN_PORT: "8080" });
  assert.equal([config.version, config.listenHost, config.listenPort], ["r-abc", "0.0.0.0", 8080]);
});

test("a full database configuration", () => {
  assert.equal(loadConfig(DB_ENV).database, {
    name: "foobar",
    port: 3306,
    primaryHost: "10.0.0.21",
    replicaHost: "10.0.0.22",
    user: "foobar_app",
    password: "s3cret-writer",
    readUser: "foobar_read",
    readPassword: "s3cret-reader",
    tls: null,
  });
});

const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

test("DB_CA_FILE: TLS verified against the CA certificate it names, read when the settings load", () => {
  const read: string[] = [];
  const tlsEnv = { DB_CA_FILE: "/etc/foobar/db-ca.pem", DB_PRIMARY_NAME: "db-01", DB_REPLICA_NAME: "db-02" };
  const config = loadConfig({ ...DB_ENV, ...tlsEnv }, (path) => {
    read.push(path);
    return CA_PEM;
  });
  assert.equal(read, ["/etc/foobar/db-ca.pem"]);
  assert.equal(config.database?.tls, {
    caFile: "/etc/foobar/db-ca.pem",
    ca: CA_PEM,
    primaryName: "db-01",
    replicaName: "db-02",
  });
  assert.equal(
    (describeConfig(config).database as Record<string, unknown>).tls,
    "verified against /etc/foobar/db-ca.pem as db-01 and db-02",
  );
  const byName = loadConfig(
    { DB_PRIMARY_HOST: "db1.example", DB_USER: "u", DB_PASSWORD: "p", DB_CA_FILE: "/ca.pem" },
    () => CA_PEM,
  );
  assert.equal([byName.database?.tls?.primaryName, byName.database?.tls?.replicaName], ["db1.example", "db1.example"]);
});

test("DB_CA_FILE refused: relative, unreadable, holding no certificate, or with an IP address and no name", () => {
  const failing = (env: Record<string, string>, readFile: (path: string) => string) => {
    try {
      loadConfig({ ...DB_ENV, ...env }, readFile);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error("expected a ConfigError");
  };
  assert.is(
    failing({ DB_CA_FILE: "/etc/foobar/db-ca.pem", DB_REPLICA_NAME: "db-02" }, () => CA_PEM),
    "DB_PRIMARY_NAME is required with DB_CA_FILE when DB_PRIMARY_HOST is an IP address: the name its certificate must carry",
  );
  assert.is(
    failing({ DB_CA_FILE: "db-ca.pem" }, () => CA_PEM),
    'DB_CA_FILE must be an absolute path, got "db-ca.pem"',
  );
  assert.is(
    failing({ DB_CA_FILE: "/nope.pem" }, () => {
      throw new Error("ENOENT: no such file or directory, open '/nope.pem'");
    }),
    "DB_CA_FILE cannot be read: ENOENT: no such file or directory, open '/nope.pem'",
  );
  assert.is(
    failing({ DB_CA_FILE: "/etc/foobar/app.env" }, () => "DB_PASSWORD=x\n"),
    "DB_CA_FILE must name a PEM certificate file, /etc/foobar/app.env holds none",
  );
});

test("replica host and read account default to the primary's", () => {
  const database = loadConfig({ DB_PRIMARY_HOST: "db1", DB_USER: "u", DB_PASSWORD: "p" }).database;
  assert.equal(
    [database?.replicaHost, database?.readUser, database?.readPassword, database?.name, database?.port],
    ["db1", "u", "p", "foobar", 3306],
  );
});

test("bad ports name their variable", () => {
  for (const value of ["0", "65536", "http", "80.5", "-1", " 80"]) {
    const error = configError({ LISTEN_PORT: value });
    assert.is(error.variable, "LISTEN_PORT");
    assert.match(error.message, /LISTEN_PORT must be a port number/);
  }
  assert.is(configError({ ...DB_ENV, DB_PORT: "99999" }).variable, "DB_PORT");
});

test("database settings are required once DB_PRIMARY_HOST is set", () => {
  const { DB_USER: _user, ...withoutUser } = DB_ENV;
  const error = configError(withoutUser);
  assert.is(error.variable, "DB_USER");
  assert.is(error.message, "DB_USER is required when DB_PRIMARY_HOST is set");
  const { DB_PASSWORD: _password, ...withoutPassword } = DB_ENV;
  assert.is(configError(withoutPassword).variable, "DB_PASSWORD");
});

test("database settings without DB_PRIMARY_HOST mean no database", () => {
  const { DB_PRIMARY_HOST: _host, ...rest } = DB_ENV;
  assert.is(loadConfig(rest).database, null);
});

test("malformed values are refused", () => {
  assert.is(configError({ LISTEN_HOST: "example.com" }).variable, "LISTEN_HOST");
  assert.is(configError({ APP_VERSION: "r 1; rm -rf /" }).variable, "APP_VERSION");
  assert.is(configError({ ...DB_ENV, DB_NAME: "foo-bar" }).variable, "DB_NAME");
  assert.is(configError({ ...DB_ENV, DB_REPLICA_HOST: "db 2" }).variable, "DB_REPLICA_HOST");
});

test("describeConfig, the form that is logged, leaves the passwords out", () => {
  const described = JSON.stringify(describeConfig(loadConfig(DB_ENV)));
  assert.not.match(described, /s3cret/);
  assert.match(described, /foobar_app@10\.0\.0\.21:3306/);
  assert.match(described, /foobar_read@10\.0\.0\.22:3306/);
  assert.is(
    JSON.stringify(describeConfig(loadConfig({}))),
    '{"version":"dev","listen":"127.0.0.1:3000","database":"not configured"}',
  );
});

test.run();

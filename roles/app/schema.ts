// Vars of the app role, declared once: checked before any connection, typed, documented in README.md.
import {
  AbsolutePath,
  ControllerPath,
  HostOrAddress,
  IpAddress,
  Name,
  Port,
  RoleVars,
  SecretVar,
  Type,
  UserName,
} from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import { accountName, dbName } from "../mysql_common/vars.ts";

export const schema = RoleVars({
  build_dir: ControllerPath({
    default: "app/dist",
    description: "Directory on the controller holding the built release (server.js + public/), relative to the repo.",
  }),
  version: Type.Optional(
    Name({
      description:
        'Release name; default: "r-" + the first 12 hex digits of the build\'s sha256 (same build, same name).',
    }),
  ),
  root: AbsolutePath({
    default: "/srv/foobar",
    description: "Where releases live on the host: <root>/releases/<version>, <root>/current.",
  }),
  keep_releases: Type.Integer({
    minimum: 1,
    maximum: 50,
    default: 3,
    description: "Releases kept on the host, the current one included.",
  }),
  user: UserName({
    default: "foobar",
    description: "The system user the app runs as.",
  }),
  listen_host: IpAddress({ default: "127.0.0.1", description: "Address the app listens on (nginx proxies to it)." }),
  listen_port: Port({ default: 3000, description: "Port the app listens on." }),
  db_name: dbName,
  db_primary_host: Type.Optional(
    HostOrAddress({
      description: "Where writes go (default: the first host of the inventory's db_primary group; none: no database).",
    }),
  ),
  db_replica_host: Type.Optional(
    HostOrAddress({
      description: "Where reads go (default: the first host of db_replica, else the primary).",
    }),
  ),
  db_port: Port({ default: 3306, description: "The databases' port." }),
  db_user: accountName("foobar_app", "The writer account (role mysql_primary's app_user)."),
  db_password: Type.Optional(
    SecretVar({ default: secret("db_app_password"), description: "The writer account's password." }),
  ),
  db_ca_key: SecretVar({
    default: secret("db_ca_key"),
    description:
      "The database CA's key (role mysql_primary's ca_key): the app gets the CA's certificate, derived from it, and verifies the servers against it.",
  }),
  db_read_user: accountName("foobar_read", "The read-only account on the replica (role mysql_replica's read_user)."),
  db_read_password: Type.Optional(
    SecretVar({ default: secret("db_read_password"), description: "The read-only account's password." }),
  ),
});

// Vars of the mysql_replica role, declared once: checked before any connection, typed, documented in README.md.
import { AbsolutePath, Matching, RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import {
  accountName,
  dbEngine,
  dbName,
  replicationAccount,
  retiringPassword,
  serverSettings,
  tlsVars,
} from "../mysql_common/vars.ts";

export const schema = RoleVars({
  db_name: dbName,
  read_user: accountName("foobar_read", "The app's read-only account on the replica, allowed only from the web hosts."),
  read_password: SecretVar({ default: secret("db_read_password"), description: "The read-only account's password." }),
  read_password_retiring: retiringPassword("db_read_password"),
  ...replicationAccount,
  ...dbEngine,
  ...serverSettings,
  ...tlsVars,
  replication_wait_seconds: Type.Integer({
    minimum: 1,
    maximum: 600,
    default: 30,
    description: "Seconds the converge waits for replication to run after starting or bootstrapping it.",
  }),
  backup_dir: AbsolutePath({
    default: "/var/backups/foobar-db",
    description: "Where the nightly dumps go.",
  }),
  backup_keep: Type.Integer({ minimum: 1, maximum: 365, default: 7, description: "Backups kept (the newest N)." }),
  backup_schedule: Matching(
    "^[A-Za-z0-9*][A-Za-z0-9*:/ ,.~-]{0,62}[A-Za-z0-9*]$|^[A-Za-z0-9*]$",
    "a systemd OnCalendar expression such as *-*-* 03:15:00 (letters, digits, spaces and *:/,.~-, starting and ending with a letter, digit or *)",
    {
      default: "*-*-* 03:15:00",
      description: "systemd OnCalendar expression of the backup timer.",
    },
  ),
});

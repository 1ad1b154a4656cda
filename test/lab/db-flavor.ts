// The database the lab's inventory names (db_engine): the lab tests' SQL client, service and statements follow it.
import { flavorOf, type DbEngine } from "../../roles/mysql_common/flavor.ts";
import { hosts } from "./harness.ts";

export const DB = flavorOf((hosts.vars.mysql_primary as { db_engine?: DbEngine } | undefined)?.db_engine ?? "mariadb");

/** Shell: SQL as root on the host's server, rows tab-separated without names. */
export const sqlCommand = (sql: string) => `${DB.client} --batch --skip-column-names -e ${JSON.stringify(sql)}`;

/** Shell: SHOW REPLICA STATUS as `Name: value` lines (MySQL 9's client runs no \G). */
export const replicaStatusCommand = `${DB.client} --vertical -e 'SHOW REPLICA STATUS'`;

/** SQL a test runs as root on a read-only replica: MySQL's super_read_only binds root too, so it is lifted around it. */
export const pastReadOnly = (sql: string) =>
  DB.superReadOnly ? `SET GLOBAL super_read_only = OFF; ${sql}; SET GLOBAL super_read_only = ON` : sql;

/** SQL pointing the stopped replica at another source host. */
export const pointAt = (address: string) =>
  DB.name === "mysql"
    ? `CHANGE REPLICATION SOURCE TO SOURCE_HOST='${address}'`
    : `CHANGE MASTER TO MASTER_HOST='${address}'`;

/** SQL leaving a server with no GTIDs of its own (no replication configured before it). */
export const forgetGtids =
  DB.name === "mysql" ? "RESET BINARY LOGS AND GTIDS" : "RESET MASTER; SET GLOBAL gtid_slave_pos = ''";

/** Shell run as root on a read-only replica with super_read_only lifted around it (MySQL), its exit status kept. */
export const shellPastReadOnly = (command: string) =>
  DB.superReadOnly
    ? `${DB.client} -e 'SET GLOBAL super_read_only = OFF' && { ${command}; }; rc=$?; ${DB.client} -e 'SET GLOBAL super_read_only = ON'; exit $rc`
    : command;

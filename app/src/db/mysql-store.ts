// Store on MySQL/MariaDB with two pools: the writer account on the primary, the read-only account on the replica.
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { createPool, type Pool, type PoolConnection, type RowDataPacket, type ResultSetHeader } from "mysql2/promise";
import type { DatabaseConfig } from "../config.ts";
import { connectErrorMessage } from "./connect-error.ts";
import type { SqlSession } from "./migrate.ts";
import { replicaLagSeconds } from "./replica-lag.ts";
import type { DatabaseHealth, EndpointHealth, Message, NewMessage, ReplicaHealth, Store } from "./store.ts";
import { withTimeout } from "./timeout.ts";

/** Budget of one health probe, so /health answers within 2 s even when a server does not. */
export const PROBE_TIMEOUT_MS = 1500;
const CONNECT_TIMEOUT_MS = 2000;
const QUERY_TIMEOUT_MS = 5000;
const POOL_SIZE = 10;

/** UNIX_TIMESTAMP of a TIMESTAMP column is its stored UTC instant, whatever the session time zone. */
const MESSAGE_COLUMNS = "id, author, `text`, UNIX_TIMESTAMP(created_at) AS created_epoch";

interface MessageRow extends RowDataPacket {
  id: number | string;
  author: string;
  text: string;
  /** DECIMAL with 3 fractional digits, as a string. */
  created_epoch: string | number;
}

function toMessage(row: MessageRow): Message {
  return {
    id: Number(row.id),
    author: row.author,
    text: row.text,
    createdAt: new Date(Math.round(Number(row.created_epoch) * 1000)).toISOString(),
  };
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * With TLS, mysql2 connects through `stream` to the address and is given the certificate's name as its host: it checks
 * a name it is given (as SNI and against the certificate), never an IP address.
 */
function tlsTarget(db: DatabaseConfig, address: string, name: string) {
  if (!db.tls) return { host: address };
  const connectTo = () => connect({ host: address, port: db.port, noDelay: true, keepAlive: true });
  return {
    host: name,
    stream: connectTo,
    ssl: { ca: db.tls.ca, rejectUnauthorized: true, verifyIdentity: true },
  };
}

function openPool(db: DatabaseConfig, address: string, name: string, user: string, password: string): Pool {
  return createPool({
    ...tlsTarget(db, address, name),
    port: db.port,
    user,
    password,
    database: db.name,
    charset: "utf8mb4_unicode_ci",
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionLimit: POOL_SIZE,
    enableKeepAlive: true,
  });
}

export class MysqlStore implements Store {
  private readonly writer: Pool;
  private readonly reader: Pool;

  constructor(db: DatabaseConfig) {
    this.writer = openPool(db, db.primaryHost, db.tls?.primaryName ?? db.primaryHost, db.user, db.password);
    this.reader = openPool(db, db.replicaHost, db.tls?.replicaName ?? db.replicaHost, db.readUser, db.readPassword);
  }

  async listMessages(limit: number): Promise<Message[]> {
    const [rows] = await this.reader.query<MessageRow[]>({
      sql: `SELECT ${MESSAGE_COLUMNS} FROM messages ORDER BY id DESC LIMIT ?`,
      values: [limit],
      timeout: QUERY_TIMEOUT_MS,
    });
    return rows.map(toMessage);
  }

  async getMessage(id: number): Promise<Message | null> {
    const [rows] = await this.reader.query<MessageRow[]>({
      sql: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
      values: [id],
      timeout: QUERY_TIMEOUT_MS,
    });
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /** Inserts on the primary and reads the row back from the primary (the replica may lag). */
  async addMessage(message: NewMessage): Promise<Message> {
    const [result] = await this.writer.query<ResultSetHeader>({
      sql: "INSERT INTO messages (author, `text`) VALUES (?, ?)",
      values: [message.author, message.text],
      timeout: QUERY_TIMEOUT_MS,
    });
    const [rows] = await this.writer.query<MessageRow[]>({
      sql: `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
      values: [result.insertId],
      timeout: QUERY_TIMEOUT_MS,
    });
    if (!rows[0]) throw new Error(`message ${result.insertId} vanished after insert`);
    return toMessage(rows[0]);
  }

  async probe(): Promise<DatabaseHealth> {
    const [primary, replica] = await Promise.all([this.probePrimary(), this.probeReplica()]);
    return { primary, replica };
  }

  /**
   * Run `work` on one dedicated primary connection (session state such as GET_LOCK stays on it).
   * After a failure the connection is destroyed, which also drops any lock it held.
   */
  async withPrimarySession<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const connection = await this.writer.getConnection();
    try {
      const result = await work(sessionOf(connection));
      connection.release();
      return result;
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.writer.end(), this.reader.end()]);
  }

  private async probePrimary(): Promise<EndpointHealth> {
    const started = performance.now();
    try {
      await withTimeout(
        this.writer.query({ sql: "SELECT 1", timeout: PROBE_TIMEOUT_MS }),
        PROBE_TIMEOUT_MS,
        "primary probe",
      );
      return { reachable: true, ms: elapsedMs(started) };
    } catch (error) {
      return { reachable: false, ms: elapsedMs(started), error: connectErrorMessage(error) };
    }
  }

  private async probeReplica(): Promise<ReplicaHealth> {
    const started = performance.now();
    try {
      const lagSeconds = await withTimeout(this.replicaLag(), PROBE_TIMEOUT_MS, "replica probe");
      return { reachable: true, ms: elapsedMs(started), lagSeconds };
    } catch (error) {
      return { reachable: false, ms: elapsedMs(started), lagSeconds: null, error: connectErrorMessage(error) };
    }
  }

  private replicaLag(): Promise<number | null> {
    return replicaLagSeconds(async (sql) => {
      const [rows] = await this.reader.query<RowDataPacket[]>({ sql, timeout: PROBE_TIMEOUT_MS });
      return rows;
    });
  }
}

/** No query timeout here: GET_LOCK waits on its own, and a migration may legitimately take long. */
function sessionOf(connection: PoolConnection): SqlSession {
  return {
    async query(sql, values = []) {
      const [rows] = await connection.query({ sql, values });
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
    },
  };
}

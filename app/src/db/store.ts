// The storage interface the HTTP layer depends on: messages read from the replica, written to the primary.
export interface Message {
  id: number;
  author: string;
  text: string;
  /** ISO 8601, UTC, millisecond precision. */
  createdAt: string;
}

export interface NewMessage {
  author: string;
  text: string;
}

export interface EndpointHealth {
  reachable: boolean;
  /** Round-trip time of the probe in milliseconds. */
  ms: number;
  error?: string;
}

export interface ReplicaHealth extends EndpointHealth {
  /** Seconds behind the primary; null when unknown (not a replica, replication stopped, no privilege). */
  lagSeconds: number | null;
}

export interface DatabaseHealth {
  primary: EndpointHealth;
  replica: ReplicaHealth;
}

export interface Store {
  /** Latest first, at most `limit`; from the replica. */
  listMessages(limit: number): Promise<Message[]>;
  /** From the replica; null when absent. */
  getMessage(id: number): Promise<Message | null>;
  /** Written to the primary; returns the stored row. */
  addMessage(message: NewMessage): Promise<Message>;
  /** Reachability of both sides, bounded by the store's probe timeout. */
  probe(): Promise<DatabaseHealth>;
  close(): Promise<void>;
}

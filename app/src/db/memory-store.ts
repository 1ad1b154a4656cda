// In-memory Store for tests and local runs: two simulated sides that can be taken down, and a record of which side served each call.
import type { DatabaseHealth, Message, NewMessage, Store } from "./store.ts";

export type Side = "primary" | "replica";

export interface StoreCall {
  side: Side;
  operation: "listMessages" | "getMessage" | "addMessage";
}

export class MemoryStore implements Store {
  /** Which sides are reachable; set one to false to simulate an outage. */
  readonly up: Record<Side, boolean> = { primary: true, replica: true };
  /** Lag reported by the replica probe. */
  replicaLagSeconds: number | null = 0;
  readonly calls: StoreCall[] = [];
  private readonly rows: Message[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async listMessages(limit: number): Promise<Message[]> {
    this.use("replica", "listMessages");
    return this.rows
      .slice(-limit)
      .reverse()
      .map((row) => ({ ...row }));
  }

  async getMessage(id: number): Promise<Message | null> {
    this.use("replica", "getMessage");
    const row = this.rows.find((candidate) => candidate.id === id);
    return row ? { ...row } : null;
  }

  async addMessage(message: NewMessage): Promise<Message> {
    this.use("primary", "addMessage");
    const row = { id: this.rows.length + 1, ...message, createdAt: this.clock().toISOString() };
    this.rows.push(row);
    return { ...row };
  }

  async probe(): Promise<DatabaseHealth> {
    const failure = (side: Side) => (this.up[side] ? {} : { error: `${side} is down` });
    return {
      primary: { reachable: this.up.primary, ms: 0, ...failure("primary") },
      replica: {
        reachable: this.up.replica,
        ms: 0,
        lagSeconds: this.up.replica ? this.replicaLagSeconds : null,
        ...failure("replica"),
      },
    };
  }

  async close(): Promise<void> {}

  private use(side: Side, operation: StoreCall["operation"]): void {
    this.calls.push({ side, operation });
    if (!this.up[side]) throw new Error(`${side} is down`);
  }
}

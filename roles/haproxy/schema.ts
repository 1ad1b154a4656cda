// Vars of the haproxy role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface HaproxyVars {
  /** Load-balancing algorithm over the web tier. */
  balance: "roundrobin" | "leastconn" | "source";
  /** Inventory group whose hosts are the backends. */
  backend_group: string;
  /** Port the backends (nginx) listen on. */
  backend_port: number;
  /** Public HTTP port. */
  http_port: number;
  /** Health check: GET this path, expect 200. */
  health_path: string;
  /** Milliseconds between health checks; a server goes down after `fall` failures and up after `rise` successes. */
  check_interval_ms: number;
  rise: number;
  fall: number;
  maxconn: number;
  /** Stats page and Prometheus /metrics listen here (default: the host's private address). */
  stats_address?: string;
  stats_port: number;
  stats_user: string;
  stats_password: Secret;
  /** Extra raw lines, appended to the section (validated by haproxy -c like everything else). */
  extra_global: string[];
  extra_defaults: string[];
  extra_frontend: string[];
  extra_backend: string[];
}

const lines = { type: "array", items: { type: "string", pattern: "^[^\\n]*$" } } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["balance", "backend_group", "backend_port", "http_port", "health_path", "check_interval_ms", "rise", "fall", "maxconn", "stats_port", "stats_user", "stats_password"],
  properties: {
    balance: { enum: ["roundrobin", "leastconn", "source"] },
    backend_group: { type: "string", minLength: 1 },
    backend_port: { type: "integer", minimum: 1, maximum: 65535 },
    http_port: { type: "integer", minimum: 1, maximum: 65535 },
    health_path: { type: "string", pattern: "^/[^\\s]*$" },
    check_interval_ms: { type: "integer", minimum: 100, maximum: 60000 },
    rise: { type: "integer", minimum: 1, maximum: 10 },
    fall: { type: "integer", minimum: 1, maximum: 10 },
    maxconn: { type: "integer", minimum: 1 },
    stats_address: { type: "string", pattern: "^[0-9a-fA-F.:]+$" },
    stats_port: { type: "integer", minimum: 1, maximum: 65535 },
    stats_user: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
    stats_password: { secret: true },
    extra_global: lines,
    extra_defaults: lines,
    extra_frontend: lines,
    extra_backend: lines,
  },
} as const;

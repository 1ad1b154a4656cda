// Vars of the prometheus role: the JSON schema checked before any connection, and its TypeScript type.

export interface PrometheusVars {
  scrape_interval_seconds: number;
  retention_days: number;
  /** URLs whose TLS certificate expiry is watched (blackbox exporter). */
  probe_urls: string[];
  /** Controller-side PEM file the blackbox exporter trusts in addition to the system CAs (the lab's ACME root). */
  probe_ca_bundle?: string;
  /** Alert thresholds. */
  replica_lag_seconds: number;
  certificate_days: number;
  disk_free_ratio: number;
  error_ratio: number;
  /** Alertmanager: POST alerts to this webhook; without it alerts stay visible in Alertmanager only. */
  alert_webhook_url?: string;
}

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["scrape_interval_seconds", "retention_days", "probe_urls", "replica_lag_seconds", "certificate_days", "disk_free_ratio", "error_ratio"],
  properties: {
    scrape_interval_seconds: { type: "integer", minimum: 1, maximum: 300 },
    retention_days: { type: "integer", minimum: 1, maximum: 3650 },
    probe_urls: { type: "array", items: { type: "string", pattern: "^https://[A-Za-z0-9.-]+(:[0-9]+)?/[^\\s\"']*$" } },
    probe_ca_bundle: { type: "string", minLength: 1 },
    replica_lag_seconds: { type: "integer", minimum: 1 },
    certificate_days: { type: "integer", minimum: 1, maximum: 90 },
    disk_free_ratio: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
    error_ratio: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
    alert_webhook_url: { type: "string", pattern: "^https?://[^\\s\"']+$" },
  },
} as const;

// Vars of the prometheus role, declared once: checked before any connection, typed, documented in README.md.
import { ControllerPath, RoleVars, Type, Url } from "../../lib/dsl/role-vars.ts";

const ratio = (fallback: number, description: string) =>
  Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, default: fallback, description });

export const schema = RoleVars({
  scrape_interval_seconds: Type.Integer({
    minimum: 1,
    maximum: 300,
    default: 15,
    description: "Seconds between two scrapes of every target.",
  }),
  retention_days: Type.Integer({
    minimum: 1,
    maximum: 3650,
    default: 15,
    description: "Days of metrics Prometheus keeps.",
  }),
  probe_urls: Type.Array(Url({ description: "A URL." }, "https"), {
    default: ["https://www.foobar.com/"],
    description: "URLs whose TLS certificate expiry is watched (blackbox exporter).",
  }),
  probe_ca_bundle: Type.Optional(
    ControllerPath({
      description:
        "Controller-side PEM file the blackbox exporter trusts in addition to the system CAs (the lab's ACME root).",
    }),
  ),
  replica_lag_seconds: Type.Integer({
    minimum: 1,
    default: 30,
    description: "Alert when the replica is this many seconds behind the primary.",
  }),
  certificate_days: Type.Integer({
    minimum: 1,
    maximum: 90,
    default: 14,
    description: "Alert when a probed certificate expires within this many days.",
  }),
  drift_alert_minutes: Type.Integer({
    minimum: 0,
    default: 30,
    description:
      "ConfigurationDrift fires when a host's last check found drift for this many minutes (bin/foobar-infra drift).",
  }),
  check_stale_minutes: Type.Integer({
    minimum: 1,
    default: 60,
    description:
      "ConfigurationCheckStale fires when a host was not checked for this many minutes, or its last check could not reach it.",
  }),
  disk_free_ratio: ratio(0.1, "Alert when a host's free disk share falls below this."),
  error_ratio: ratio(0.05, "Alert when this share of requests through HAProxy fails (5xx)."),
  alert_webhook_url: Type.Optional(
    Url({
      description: "Alertmanager: POST alerts to this webhook; without it alerts stay visible in Alertmanager only.",
    }),
  ),
});

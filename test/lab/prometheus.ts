// Lab test support: Prometheus on mon-01 (loopback only there), read over SSH: API calls, instant queries, alerts.
import { mustOnHost } from "./harness.ts";

interface Alert {
  labels: Record<string, string>;
  state: string;
}

/** GET a Prometheus API path on mon-01. */
export async function prometheus<T>(path: string): Promise<T> {
  return JSON.parse(await mustOnHost("mon-01", `curl -sf 'http://127.0.0.1:9090${path}'`)).data as T;
}

/** An instant query's samples as label set → value, keyed by the value of label `by`. */
export async function queryBy(query: string, by: string): Promise<Record<string, number>> {
  const { result } = await prometheus<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
    `/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  return Object.fromEntries(result.map((sample) => [sample.metric[by] ?? "", Number(sample.value[1])]));
}

/** Whether alert `name` fires with every label of `labels`. */
export async function firing(name: string, labels: Record<string, string> = {}): Promise<boolean> {
  const { alerts } = await prometheus<{ alerts: Alert[] }>("/api/v1/alerts");
  return alerts.some(
    (alert) =>
      alert.labels.alertname === name &&
      alert.state === "firing" &&
      Object.entries(labels).every(([key, value]) => alert.labels[key] === value),
  );
}

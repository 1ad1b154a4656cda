// Requests/s of the site through HAProxy (lb-01) vs straight to one web host, with ApacheBench (bounded count).
import inventory from "../hosts.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { capture } from "../lib/lab/run-command.ts";

async function ab(url: string, requests: number, concurrency: number): Promise<{ rps: number; failed: number }> {
  const result = await capture("ab", ["-q", "-k", "-c", String(concurrency), "-n", String(requests), url]);
  if (result.code !== 0) throw new Error(`ab ${url}: ${result.stderr.trim()}`);
  return {
    rps: Number(/Requests per second:\s+([\d.]+)/.exec(result.stdout)?.[1] ?? 0),
    failed: Number(/Failed requests:\s+(\d+)/.exec(result.stdout)?.[1] ?? 0) + Number(/Non-2xx responses:\s+(\d+)/.exec(result.stdout)?.[1] ?? 0),
  };
}

export async function webThroughput(requests = 5000, concurrency = 50) {
  const lab = loadInventory(inventory, "lab");
  const viaLb = await ab(`http://${lab.group("lb")[0]!.address}/`, requests, concurrency);
  const direct = await ab(`http://${lab.group("web")[0]!.address}/`, requests, concurrency);
  return { viaLb, direct, ratio: viaLb.rps / direct.rps, requests, concurrency };
}

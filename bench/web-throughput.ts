// Requests/s of the site through HAProxy (HTTPS, as users reach it) vs straight to one web host (HTTP :80), both
// measured with ApacheBench from lb-01 — the firewall lets only the load balancer reach the web hosts. Bounded count.
import inventory from "../hosts.ts";
import { sshConnector } from "../lib/cli/connector.ts";
import { runScript } from "../lib/connection/shell-session.ts";
import { loadInventory } from "../lib/inventory/load.ts";

interface AbResult {
  rps: number;
  failed: number;
}

function parseAb(output: string): AbResult {
  return {
    rps: Number(/Requests per second:\s+([\d.]+)/.exec(output)?.[1] ?? 0),
    failed:
      Number(/Failed requests:\s+(\d+)/.exec(output)?.[1] ?? 0) +
      Number(/Non-2xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0),
  };
}

export async function webThroughput(requests = 5000, concurrency = 50) {
  const lab = loadInventory(inventory, "lab");
  const lb = lab.group("lb")[0]!;
  const web = lab.group("web")[0]!;
  const transport = await sshConnector({ acceptNewHostKeys: false, timeoutSeconds: 300 })(lb);
  try {
    const ab = async (args: string) => {
      const result = await runScript(
        transport,
        lb,
        `command -v ab >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q apache2-utils >/dev/null\nab -q -k -c ${concurrency} -n ${requests} ${args}`,
        300_000,
      );
      if (result.code !== 0)
        throw new Error(`ab ${args} on ${lb.name}: ${result.stderr.trim() || result.stdout.slice(-500)}`);
      return parseAb(result.stdout);
    };
    const viaLb = await ab("-H 'Host: www.foobar.com' https://127.0.0.1/");
    const direct = await ab(`http://${web.privateAddress}/`);
    return { viaLb, direct, ratio: viaLb.rps / direct.rps, requests, concurrency, client: lb.name, web: web.name };
  } finally {
    await transport.close();
  }
}

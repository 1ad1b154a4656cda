// `npm run bench`: engine cost, no-op site re-converge vs the SSH floor, web throughput via the LB vs direct.
// Needs the lab (it is brought up and site.ts converged first); results also go to bench/results/<time>.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { buildApp } from "../app/build.ts";
import { up } from "../lib/lab/lab.ts";
import { REPO_ROOT } from "../lib/lab/paths.ts";
import { engineNoop } from "./engine.ts";
import { siteNoop } from "./site-noop.ts";
import { ms } from "./stats.ts";
import { webThroughput } from "./web-throughput.ts";

async function main(): Promise<void> {
  const engine = { 1: await engineNoop(1), 20: await engineNoop(20), 100: await engineNoop(100) };
  await up(() => undefined);
  await buildApp();
  const converge = spawnSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "playbooks/site.ts"), "-i", "lab"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (converge.status !== 0) throw new Error(`site.ts -i lab failed before the benchmark:\n${converge.stdout}${converge.stderr}`);
  const noop = await siteNoop(7);
  const web = await webThroughput();
  const rows: [string, string][] = [
    ["engine, 30-resource no-op, 1 fake host", ms(engine[1])],
    ["engine, 30-resource no-op, 20 fake hosts", ms(engine[20])],
    ["engine, 30-resource no-op, 100 fake hosts", ms(engine[100])],
    [`site.ts no-op re-converge, ${noop.hosts} lab hosts`, ms(noop.site)],
    [`floor: ssh2 connect + true, ${noop.hosts} hosts in parallel`, ms(noop.floor)],
    ["no-op / floor", `${(noop.site.median / noop.floor.median).toFixed(2)}×`],
    [`GET / via lb-01 (ab -k -c ${web.concurrency} -n ${web.requests})`, `${web.viaLb.rps.toFixed(0)} req/s, ${web.viaLb.failed} failed`],
    ["GET / direct to web-01", `${web.direct.rps.toFixed(0)} req/s, ${web.direct.failed} failed`],
    ["via LB / direct", `${web.ratio.toFixed(2)}×`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`${"measure".padEnd(width)} | result\n${"-".repeat(width)}-|-------`);
  for (const [name, value] of rows) console.log(`${name.padEnd(width)} | ${value}`);
  const results = join(REPO_ROOT, "bench", "results");
  mkdirSync(results, { recursive: true });
  const file = join(results, `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, node: process.version, engine, siteNoop: noop, web }, null, 2)}\n`);
  console.log(`\nresults: ${file}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});

// Entry point of the apt proxy daemon the lab starts: `node --import tsx lab/apt-proxy-main.ts SUITE,SUITE,...`, the
// suites of the images the lab boots (lab.ts): their index files are all it lets through.
import { createAptProxy } from "./apt-proxy.ts";
import { machineMirror, mirrorHosts } from "./mirror.ts";
import { paths } from "./paths.ts";
import { APT_PROXY_PORT, GATEWAY } from "./topology.ts";

const suites = (process.argv[2] ?? "").split(",").filter(Boolean);
if (suites.length === 0) throw new Error("lab apt proxy: name the suites it lets through (SUITE,SUITE,...)");
const server = createAptProxy({
  allowed: { hosts: mirrorHosts(machineMirror()).map((host) => host.split(":")[0]!), suites },
  cacheDir: paths.aptCache,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
server.listen(APT_PROXY_PORT, GATEWAY.address, () =>
  console.log(`lab apt proxy on ${GATEWAY.address}:${APT_PROXY_PORT} for ${suites.join(", ")}`),
);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

// Entry point of the apt proxy daemon the lab starts: `node --import tsx lab/apt-proxy-main.ts`.
import { createAptProxy } from "./apt-proxy.ts";
import { LAB_SUITES } from "./environment/os.ts";
import { machineMirror, mirrorHosts } from "./mirror.ts";
import { paths } from "./paths.ts";
import { APT_PROXY_PORT, GATEWAY } from "./topology.ts";

const server = createAptProxy({
  allowed: { hosts: mirrorHosts(machineMirror()).map((host) => host.split(":")[0]!), suites: LAB_SUITES },
  cacheDir: paths.aptCache,
  log: (line) => console.log(`${new Date().toISOString()} ${line}`),
});
server.listen(APT_PROXY_PORT, GATEWAY.address, () =>
  console.log(`lab apt proxy on ${GATEWAY.address}:${APT_PROXY_PORT}`),
);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

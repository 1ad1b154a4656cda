// The ssh2 floor as a whole process: `node bench/floors/ssh2-floor.mjs USER KEY KNOWN_HOSTS ADDRESS...` connects to every
// address in parallel (host key checked against KNOWN_HOSTS), runs `true`, closes. Plain JavaScript: nothing transpiled.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { Client } = createRequire(import.meta.url)("ssh2");
const [user, keyFile, knownHostsFile, ...addresses] = process.argv.slice(2);
const privateKey = readFileSync(keyFile);
const known = new Map(
  readFileSync(knownHostsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split(" "))
    .map(([address, , blob]) => [address, Buffer.from(blob, "base64")]),
);

function connectAndRunTrue(address) {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on("ready", () =>
      client.exec("true", (error, stream) => {
        if (error) return reject(error);
        stream.resume();
        stream.on("close", (code) => {
          client.end();
          code === 0 ? resolve() : reject(new Error(`${address}: true exited ${code}`));
        });
      }),
    );
    client.on("error", reject);
    client.connect({
      host: address,
      username: user,
      privateKey,
      readyTimeout: 10_000,
      hostVerifier: (key) => known.get(address)?.equals(key) === true,
    });
  });
}

await Promise.all(addresses.map(connectAndRunTrue));

// Stop a server gracefully: no new connections, idle ones closed, in-flight requests given up to `timeoutMs` to finish.
import type { Server } from "node:http";

/** Resolves to true when every request finished in time, false when the rest had to be cut off. */
export function closeGracefully(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}

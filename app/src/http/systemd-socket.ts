// The listening socket systemd passes to the app (socket activation, sd_listen_fds(3)): the file descriptor, when
// foobar-app.socket started this process; systemd keeps it open across restarts, so no connection is refused.

/** sd_listen_fds' first descriptor: 0–2 are stdin, stdout and stderr. */
export const SD_LISTEN_FDS_START = 3;

/**
 * The descriptor systemd passed, when LISTEN_PID names this process and LISTEN_FDS counts exactly one; undefined when
 * the app was started without a socket (by hand, in tests). More than one is a unit that does not match this app.
 */
export function systemdListenFd(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  if (env.LISTEN_PID !== String(pid) || env.LISTEN_FDS === undefined) return undefined;
  if (env.LISTEN_FDS !== "1")
    throw new Error(`systemd passed LISTEN_FDS=${env.LISTEN_FDS}: the app listens on exactly one socket`);
  return SD_LISTEN_FDS_START;
}

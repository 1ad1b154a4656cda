// The app takes the socket systemd passes (LISTEN_PID/LISTEN_FDS) only when it is meant for this process.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SD_LISTEN_FDS_START, systemdListenFd } from "../../app/src/http/systemd-socket.ts";
import { thrown } from "./support/thrown.ts";

test("LISTEN_PID naming this process and one descriptor: fd 3", () => {
  assert.is(systemdListenFd({ LISTEN_PID: "42", LISTEN_FDS: "1" }, 42), SD_LISTEN_FDS_START);
  assert.is(SD_LISTEN_FDS_START, 3);
});

test("no socket passed, or passed to another process (a parent's environment inherited): none", () => {
  assert.is(systemdListenFd({}, 42), undefined);
  assert.is(systemdListenFd({ LISTEN_PID: "41", LISTEN_FDS: "1" }, 42), undefined);
  assert.is(systemdListenFd({ LISTEN_PID: "42" }, 42), undefined);
});

test("more than one descriptor is a unit that does not match the app: an error naming the count", () => {
  assert.match(
    thrown(() => systemdListenFd({ LISTEN_PID: "42", LISTEN_FDS: "2" }, 42)),
    "LISTEN_FDS=2",
  );
});

test.run();

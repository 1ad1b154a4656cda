// Lab test helper: Debian's Chromium (package chromium, in lab/requirements.ts) driven by playwright-core, headless,
// with the flags this closed-network machine needs (no sandbox as root, no background connections); no browser download.
import { type Browser, chromium } from "playwright-core";
import { tool } from "../../lab/requirements.ts";

/** Chromium's flags here: as root it needs --no-sandbox; the rest keep it from reaching for the network at start. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The system's Chromium, headless, in a fresh profile (playwright-core makes and removes it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: `/usr/bin/${tool("chromium")}`, headless: true, args: FLAGS });
}

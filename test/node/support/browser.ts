// A Chromium the machine has, driven by playwright-core (never a downloaded browser): headless, sandbox off
// (root in CI containers), no background traffic, and a fresh profile per launch. Which one: PULSE_CHROMIUM if
// set, else the first found of the usual installs (scripts/ensure-chromium.sh installs Debian's where it can).
// Without one, the browser tests are skipped with `chromium.missing` as the reason.

import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { tmpdir } from "node:os";
import { chromium as playwrightChromium, type BrowserContext } from "playwright-core";

/** Commands on PATH, then macOS application bundles. */
const COMMANDS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
const APP_BUNDLES = [
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function findChromium(): { path: string; missing?: undefined } | { path?: undefined; missing: string } {
  const named = process.env.PULSE_CHROMIUM;
  // A browser named on purpose that is not there is a mistake to show, not a reason to skip.
  if (named) {
    if (!isExecutable(named)) throw new Error(`PULSE_CHROMIUM=${named} is not an executable file`);
    return { path: named };
  }
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const onPath = dirs.flatMap((dir) => COMMANDS.map((command) => join(dir, command)));
  const path = [...onPath, ...APP_BUNDLES].find(isExecutable);
  if (path) return { path };
  const looked = `PULSE_CHROMIUM unset; none of ${COMMANDS.join(", ")} on PATH`;
  return { missing: `no Chromium found (${looked}): install one or set PULSE_CHROMIUM` };
}

export const chromium = findChromium();

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** `hosts` resolve to loopback in this browser (custom domains have no DNS here). */
export async function launchBrowser(options: { hosts?: string[] } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "pulse-chromium-"));
  if (!chromium.path) throw new Error(chromium.missing);
  const context = await playwrightChromium.launchPersistentContext(profile, {
    executablePath: chromium.path,
    args: options.hosts?.length
      ? [...ARGS, `--host-resolver-rules=${options.hosts.map((h) => `MAP ${h} 127.0.0.1`).join(", ")}`]
      : ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// `npm start`: the whole platform on workerd, on loopback, with state that survives restarts.

import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_CELLS, startLocalPlatform } from "../supervisor/local-platform.ts";
import { createWatchdog } from "../supervisor/watchdog.ts";
import { cellMemoryBudgetMiB } from "../supervisor/cell-recycle.ts";
import { deploySeed } from "../supervisor/seed-deploy.ts";
import { ROOT } from "../supervisor/workers.ts";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number from 1 to 65535, got "${process.env.PORT}"`);
  process.exit(2);
}

const stateDir = process.env.PULSE_STATE_DIR ?? join(ROOT, ".pulse/state");
const cells = Number(process.env.PULSE_CELLS ?? DEFAULT_CELLS);
if (!Number.isInteger(cells) || cells < 0 || cells > 16) {
  console.error(`PULSE_CELLS must be a whole number from 0 to 16, got "${process.env.PULSE_CELLS}"`);
  process.exit(2);
}
let cellMemoryMiB: number;
try {
  cellMemoryMiB = cellMemoryBudgetMiB(cells);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
// Runtime lines: request lines and pulse logs are printed; the start markers only feed the watchdog.
const watchdog = createWatchdog((line) => console.error(line), { cellMemoryMiB });
const platform = await startLocalPlatform({
  port,
  stateDir,
  devUpstreams: true,
  cells,
  onLog: (message, _level, cell, writtenAt) => {
    watchdog.observe(message, cell, writtenAt);
    if (!message.startsWith('{"event":"pulse_start"') && !message.startsWith('{"event":"pulse_end"'))
      console.log(message);
  },
});
watchdog.start(platform);
if (platform.migrationsApplied.length) console.log(`applied migrations: ${platform.migrationsApplied.join(", ")}`);

const counter = await readFile(join(ROOT, "scripts/seed/counter.ts"), "utf8");
// Through the deploy route, as any deploy: the version keeps its source for Pulse Studio.
const seeded = await deploySeed(platform, {
  tenant: "demo",
  pulse: "counter",
  files: { "index.ts": counter },
  main: "index.ts",
});

const tokens = {
  admin: await platform.mint({ role: "admin", sub: "local-admin" }),
  demo: seeded.token,
};
const tokensPath = join(stateDir, "tokens.json");
await writeFile(tokensPath, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
await chmod(tokensPath, 0o600);
// Only now does /readyz answer 200: the database is migrated and the demo pulse is live.
await platform.markStarted();

const origin = platform.url.origin;
console.log(`
Pulse is running on workerd (state in ${stateDir}).

  control plane   ${origin}/readyz   API docs ${origin}/v1/docs   spec ${origin}/v1/openapi.json
  studio          ${origin}/studio/   (sign in with a token below)
  pulses          http://{pulse}.pulses.localhost:${port}/  (or any host with -H 'Host: {pulse}.pulses.localhost')
  demo pulse      curl -H 'Host: counter.pulses.localhost' ${origin}/
                  (tenant demo, pulse counter, version ${seeded.versionId.slice(0, 12)})

  dev upstream    pulses may fetch https://upstream.test/echo (an echo Worker; also other.test) to try egress and secrets

  tokens (valid 30 days, also in ${tokensPath}):
    admin         ${tokens.admin}
    demo          ${tokens.demo}

Ctrl-C stops it.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  watchdog.stop();
  console.log(`\n${signal}: stopping...`);
  await platform.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

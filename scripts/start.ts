// `npm start`: the whole platform on workerd, on loopback, with state that survives restarts.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startLocalPlatform } from "./lib/local-platform.ts";
import { buildPulse } from "./lib/pulse-build.ts";
import { seedPulse } from "./lib/seed.ts";
import { ROOT } from "./lib/workers.ts";

const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const stateDir = process.env.PULSE_STATE_DIR ?? join(ROOT, ".pulse/state");
const platform = await startLocalPlatform({ port, stateDir });
if (platform.migrationsApplied.length) console.log(`applied migrations: ${platform.migrationsApplied.join(", ")}`);

const counter = await readFile(join(ROOT, "scripts/seed/counter.ts"), "utf8");
const seeded = await seedPulse(platform.db, platform.bundles, {
  tenant: "demo",
  pulse: "counter",
  code: await buildPulse({ files: { "index.ts": counter }, main: "index.ts" }),
});

const origin = platform.url.origin;
console.log(`
Pulse is running on workerd (state in ${stateDir}).

  control plane   ${origin}/healthz
  pulses          http://{pulse}.pulses.localhost:${platform.url.port}/  (or any host with -H 'Host: {pulse}.pulses.localhost')
  demo pulse      curl -H 'Host: counter.pulses.localhost' ${origin}/
                  (tenant demo, pulse counter, version ${seeded.versionId.slice(0, 12)})

Ctrl-C stops it.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await platform.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

